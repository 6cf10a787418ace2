/**
 * The real Fluentd 1.18 (../shared/tools/fluentd) for interop tests: started with the given
 * `<source>` sections plus one `out_file` match that writes every `app.**` record as JSON with its
 * tag and its event time in nanoseconds, so tests can read back exactly what Fluentd took.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pollLines, startDaemon, tempDir, toolsDir, waitForPort, type Daemon } from "./daemons.js";

/** A running Fluentd and the directory its records are written to. */
export interface FluentdDaemon {
  /** Scratch directory (config, log, certificates a test writes there). */
  readonly dir: string;
  /** The daemon process. */
  readonly daemon: Daemon;
  /** Records with the given `id`s written so far, by id (those that arrived before the deadline). */
  written(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Stops Fluentd and removes the scratch directory. */
  stop(): Promise<void>;
}

/**
 * Starts Fluentd with `sources(dir)` (the `<source>` sections; `dir` is the scratch directory, for
 * files they name) and waits until every one of `ports` accepts connections (40 s for the first,
 * while Fluentd boots, 10 s for the others). `prepare(dir)` runs first, e.g. to write certificates.
 */
export async function startFluentd(
  prefix: string,
  ports: readonly number[],
  sources: (dir: string) => string,
  prepare?: (dir: string) => void,
): Promise<FluentdDaemon> {
  const temp = tempDir(prefix);
  const outDir = path.join(temp.dir, "out");
  mkdirSync(outDir);
  prepare?.(temp.dir);
  const config = path.join(temp.dir, "fluent.conf");
  writeFileSync(
    config,
    `
<system>
  log_level info
</system>
${sources(temp.dir)}
<match app.**>
  @type file
  path ${path.join(outDir, "records")}
  append true
  <inject>
    tag_key tag
    time_key time
    time_type string
    time_format %Y-%m-%dT%H:%M:%S.%NZ
    utc true
  </inject>
  <format>
    @type json
  </format>
  <buffer>
    @type memory
    flush_mode immediate
  </buffer>
</match>
`,
  );
  const daemon = startDaemon(path.join(toolsDir, "fluentd/run"), ["-c", config], path.join(temp.dir, "fluentd.log"));
  const stop = async (): Promise<void> => {
    await daemon.stop();
    temp.remove();
  };
  try {
    for (const [i, port] of ports.entries()) await waitForPort(port, daemon, i === 0 ? 40000 : 10000);
  } catch (error: unknown) {
    await stop();
    throw error;
  }
  return { dir: temp.dir, daemon, written: (ids) => writtenRecords(outDir, ids), stop };
}

async function writtenRecords(outDir: string, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  await pollLines(outDir, (lines) => {
    for (const line of lines) {
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (typeof record.id === "string" && ids.includes(record.id)) found.set(record.id, record);
      } catch {
        // A line still being written; the next poll reads it whole.
      }
    }
    return ids.every((id) => found.has(id));
  });
  return found;
}
