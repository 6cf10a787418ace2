import { isAbsolute, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import type { StandardLogEntry } from "../../generated/index.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { fluentBitTargetFromConfig } from "../daemon-config/fluent-bit/fluent-bit-environment.js";
import { type FluentBitConfigInput, type FluentBitFileInput, fluentBitFileProblem } from "../daemon-config/fluent-bit/fluent-bit-config-input.js";
import { writeFluentBitConfig } from "../daemon-config/fluent-bit/write-config.js";
import type { Sink } from "../reliability/sink/sink.js";
import { createFileLogSink, type SinkContext } from "./client-sinks.js";
import type { AddFileRequest, LogFileRouting } from "./add-file-options.js";
import { tagOfName } from "./log-files-paths.js";

/** What the client's log files need from it. */
export interface LogFilesContext {
  readonly config: TelemetryConfig;
  readonly sinkContext: SinkContext;
  /** The writer's sinks: file sinks are added here; the Fluentd sink is taken out of it when a file carries the entries. */
  readonly writerSinks: Sink<StandardLogEntry>[];
  /** Write the Fluent Bit configuration to `configPath` whenever a tailed file is added. */
  readonly autoConfigPath: string | undefined;
  readonly onDiagnostic: (message: string) => void;
}

/**
 * The files of one client: our NDJSON files (`log.addFile(path)`), each with its routing, and files
 * other programs write (`logFiles`, `log.addFile(path, name)`, globs), which are only tailed. Keeps
 * the Fluent Bit configuration consistent with the routing, so a record reaches Fluentd once:
 *
 * - `direct`: our entries go to Fluentd straight from the client; the file is a local copy that the
 *   Fluent Bit configuration does not tail.
 * - `file`: the file is the path to Fluentd (Fluent Bit tails it); the client's direct Fluentd sink
 *   stops taking entries (it is retired, still flushed and reported).
 * - `both`: both paths; Fluentd receives each entry twice and dedupes on `service.instance.id` +
 *   `timestamp` (nanoseconds from a monotonic clock: unique per entry within a process).
 */
export class LogFiles {
  readonly #ctx: LogFilesContext;
  readonly #tailed: FluentBitFileInput[] = [];
  readonly #ours = new Map<string, LogFileRouting>();
  readonly #retired: Sink<StandardLogEntry>[] = [];
  readonly #ownFiles: { readonly path: string; readonly tag: string }[] = [];
  #writing: Promise<void> = Promise.resolve();
  /** `log.addFile` calls and config writes that failed. */
  problems = 0;

  constructor(ctx: LogFilesContext) {
    this.#ctx = ctx;
  }

  /** Sinks no longer fed (the direct Fluentd sink under `file` routing), still flushed, shut down and reported. */
  get retiredSinks(): readonly Sink<StandardLogEntry>[] {
    return this.#retired;
  }

  /**
   * The default routing: `file` when the client writes the Fluent Bit configuration itself
   * (`autoFluentBitConfig`: Fluent Bit runs beside it) or has no Fluentd sink, else `direct`.
   */
  get defaultRouting(): LogFileRouting {
    return this.#ctx.autoConfigPath !== undefined || !this.#ctx.config.fluentd.enabled ? "file" : "direct";
  }

  /** Resolves when every configuration write asked so far has finished. Never rejects. */
  settled(): Promise<void> {
    return this.#writing;
  }

  /** Our NDJSON files (`log.addFile(path)`) and their tags, in the order added. */
  get ownFiles(): readonly { readonly path: string; readonly tag: string }[] {
    return this.#ownFiles;
  }

  /** Routing of each of our files, by absolute path. */
  get routings(): ReadonlyMap<string, LogFileRouting> {
    return this.#ours;
  }

  /** Registers a file another program writes (or a glob) for Fluent Bit to tail under `tag`. Never writes to it. */
  addExternal(path: string, tag: string | undefined): void {
    const absolute = isAbsolute(path) ? path : resolve(path);
    this.#tail(absolute, tag === undefined ? `emp.file.${tagOfName(this.#ctx.config.service.name)}` : tagOfName(tag), "raw");
  }

  /** Handles one `log.addFile`: an external file or glob is tailed only; our own file gets a sink and its routing. */
  add(request: AddFileRequest): void {
    if (request.external) {
      this.addExternal(request.path, request.tag);
      return;
    }
    const absolute = isAbsolute(request.path) ? request.path : resolve(request.path);
    if (this.#ours.has(absolute) || this.#tailed.some((f) => f.path === absolute)) return;
    const routing = this.#routingOf(absolute, request.routing);
    const tag = request.tag ?? `emp.file.${tagOfName(absolute.split("/").pop() ?? "log")}`;
    if (routing !== "direct") this.#tail(absolute, tag, "ndjson"); // first: it throws when Fluent Bit could not tail it
    const sink = createFileLogSink(absolute, tag, this.#ctx.sinkContext);
    this.#ours.set(absolute, routing);
    this.#ownFiles.push({ path: absolute, tag });
    this.#ctx.writerSinks.push(sink);
    if (routing === "file") this.#retireDirectFluentd();
  }

  /** The Fluent Bit configuration's input: every tailed file, our state directory, the configured Fluentd. */
  fluentBitInput(): FluentBitConfigInput {
    const { config } = this.#ctx;
    return {
      files: [...this.#tailed],
      stateDir: join(config.logDir ?? tmpdir(), "fluent-bit"),
      target: fluentBitTargetFromConfig(config.fluentd, config.service.host),
      timeKey: "timestamp",
    };
  }

  /**
   * The routing of a new file of ours. Every file of ours gets every entry, so only one may carry them
   * to Fluentd: once one does (`file` or `both`), another is a local copy (`direct`); asking for more
   * is counted as a problem and said.
   */
  #routingOf(path: string, asked: LogFileRouting | undefined): LogFileRouting {
    const carrier = [...this.#ours].find(([, r]) => r !== "direct")?.[0];
    if (carrier === undefined) return asked ?? this.defaultRouting;
    if (asked === "file" || asked === "both") {
      this.problems++;
      this.#ctx.onDiagnostic(`log.addFile(${path}): entries already reach Fluentd through ${carrier}; this file is a local copy (routing "direct")`);
    }
    return "direct";
  }

  /** @throws Error when Fluent Bit could not tail it (a comma in a glob, `${`, a bad tag): `log.addFile` counts it. */
  #tail(path: string, tag: string, format: "ndjson" | "raw"): void {
    if (this.#tailed.some((f) => f.path === path)) return;
    const problem = fluentBitFileProblem({ path, tag });
    if (problem !== undefined) throw new Error(`Fluent Bit cannot tail ${path}: ${problem}`);
    this.#tailed.push({ path, tag, format });
    this.#writeConfig();
  }

  #retireDirectFluentd(): void {
    const sinks = this.#ctx.writerSinks;
    for (let i = sinks.length - 1; i >= 0; i--) {
      const sink = sinks[i];
      if (sink === undefined || (sink.target !== "forward" && sink.target !== "fluentd-http")) continue;
      sinks.splice(i, 1);
      this.#retired.push(sink);
      this.#ctx.onDiagnostic(`log file routing "file": ${sink.health().name} no longer takes entries (Fluent Bit carries them)`);
    }
  }

  /** Writes the configuration after any write under way (one at a time, so the last file added is in the last write). */
  #writeConfig(): void {
    const configPath = this.#ctx.autoConfigPath;
    if (configPath === undefined) return;
    const input = this.fluentBitInput();
    const format = configPath.endsWith(".conf") ? "classic" : "yaml";
    this.#writing = this.#writing
      .then(() => writeFluentBitConfig({ configPath, input, format }))
      .then(
        (r) => {
          if (r.status !== "ok") this.problems++;
        },
        (error: unknown) => {
          this.problems++;
          this.#ctx.onDiagnostic(`writing the Fluent Bit configuration failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
  }
}
