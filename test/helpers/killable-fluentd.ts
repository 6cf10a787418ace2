/**
 * The real Fluentd 1.18 (../shared/tools/fluentd) for fault tests: a forward input on a FIXED port and
 * an unbuffered `out_stdout` (JSON, one line per record) into a log file that every run appends to,
 * so that what Fluentd acknowledged is in the file before the ack leaves (no Fluentd buffer between
 * ack and file that a `kill -9` could lose or replay). `kill()` SIGKILLs its whole process group
 * (supervisor and worker), `start()` boots it again on the same port.
 */
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startDaemon, tempDir, toolsDir, waitForPort, type Daemon } from "./daemons.js";

export interface KillableFluentd {
  readonly port: number;
  /** Runs started so far. */
  readonly starts: number;
  /** Boots Fluentd (again) and waits until the port accepts connections (40 s at most). */
  start(): Promise<void>;
  /** `kill -9` of the process group; resolves when the supervisor has exited. */
  kill(): Promise<void>;
  /** Every `seq` Fluentd wrote, duplicates included, over all runs. */
  seqs(): number[];
  /** The log so far (for assertion messages). */
  log(): string;
  /** Kills it if running and removes the scratch directory. */
  stop(): Promise<void>;
}

export function createKillableFluentd(port: number, tag = "app.faults"): KillableFluentd {
  const temp = tempDir("fluentd-faults-");
  const config = path.join(temp.dir, "fluent.conf");
  const logPath = path.join(temp.dir, "fluentd.log");
  writeFileSync(
    config,
    `
<system>
  log_level warn
</system>
<source>
  @type forward
  bind 127.0.0.1
  port ${port}
</source>
<match ${tag}>
  @type stdout
  <format>
    @type json
  </format>
</match>
`,
  );
  let daemon: Daemon | undefined;
  let starts = 0;
  const kill = async (): Promise<void> => {
    const d = daemon;
    daemon = undefined;
    const pid = d?.child.pid;
    if (d === undefined || pid === undefined || d.child.exitCode !== null || d.child.signalCode !== null) return;
    const exited = once(d.child, "exit");
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
    await exited;
  };
  return {
    port,
    get starts() {
      return starts;
    },
    async start() {
      const d = startDaemon(path.join(toolsDir, "fluentd/run"), ["-c", config], logPath);
      daemon = d;
      starts++;
      try {
        await waitForPort(port, d, 40_000);
      } catch (error: unknown) {
        await kill();
        throw error;
      }
    },
    kill,
    seqs() {
      if (!existsSync(logPath)) return [];
      const seqs: number[] = [];
      for (const match of readFileSync(logPath, "utf8").matchAll(/^\{"seq":(\d+),/gm)) seqs.push(Number(match[1]));
      return seqs;
    },
    log: () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : ""),
    async stop() {
      await kill();
      temp.remove();
    },
  };
}
