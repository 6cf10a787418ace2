// Runs spill-outage-child.ts against a forward receiver on 127.0.0.1 that is down for the outage and
// up for the drain; the receiver decodes with @msgpack/msgpack (independent of our encoder).
// Shared by test/faults/spool-spill-outage.test.ts and bench/spool-outage.bench.ts.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import type { SinkHealth } from "../../../runtime/reliability/sink/reports.js";
import { freePorts, repoRoot, tempDir } from "../../helpers/daemons.js";
import { createRestartableForwardReceiver } from "../../helpers/restartable-forward-receiver.js";

/** What the child reported, and what the receiver got. */
export interface SpillOutageResult {
  readonly status: string;
  /** From the receiver's recovery to every entry delivered (or the flush deadline). */
  readonly drainMs: number;
  /** Most the heap (after gc) and RSS grew over the child's baseline, sampled throughout. */
  readonly peakHeapGrowthMB: number;
  readonly peakRssGrowthMB: number;
  readonly maxQueueBytes: number;
  readonly logged: number;
  readonly sink: SinkHealth;
  /** Every `seq` the receiver got, in arrival order (duplicates included). */
  readonly seqs: number[];
}

const child = path.join(repoRoot, "test/faults/support/spill-outage-child.ts");

/**
 * Logs `outage` entries while the receiver is down, then `during` more while it drains; `spool: false` runs without a
 * spool, a number is the spool's `maxBytes` (default 512 MiB); `after` more are logged once the drain is over.
 */
export async function runSpillOutage(outage: number, during: number, spool: boolean | number, timeoutMs: number, after = 0): Promise<SpillOutageResult> {
  const temp = tempDir("spill-outage-");
  const [port] = (await freePorts(1)) as [number];
  const receiver = createRestartableForwardReceiver(port);
  const args = [
    "--expose-gc",
    "--import",
    "tsx",
    child,
    String(port),
    path.join(temp.dir, "spool"),
    String(outage),
    String(during),
    spool === false ? "off" : "on",
  ];
  args.push(typeof spool === "number" ? String(spool) : String(512 * 1024 * 1024), String(after));
  const proc = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(proc, "exit");
  const deadline = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  try {
    for await (const line of createInterface({ input: proc.stdout })) {
      if (line.startsWith("outage-done")) {
        await receiver.start();
        proc.stdin.write("up\n");
      } else if (line.startsWith("{")) {
        const report = JSON.parse(line) as Omit<SpillOutageResult, "seqs">;
        const seqs = receiver.frames.flatMap((frame) => frame.entries.map(([, record]) => record.seq as number));
        return { ...report, seqs };
      }
    }
    const [code, signal] = (await exited) as [number | null, string | null];
    throw new Error(`child ended (${String(code)} ${String(signal)}) without a report: ${stderr.slice(-2000)}`);
  } finally {
    clearTimeout(deadline);
    proc.kill("SIGKILL");
    await receiver.stop();
    temp.remove();
  }
}
