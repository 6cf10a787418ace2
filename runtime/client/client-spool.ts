import path from "node:path";
import { OptionProblems } from "../config/option-problems.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import type { SpoolFsync } from "../reliability/spool/spool-options.js";

/**
 * The client's disk spool (`spool` option): each network sink (Fluentd, OTLP logs, OTLP traces) keeps
 * a write-ahead log of its records in `<dir>/<sink name>`, and records its memory queue has no room
 * for go to disk instead of being dropped, then are sent in order once the receiver is back. See the
 * README's "Durability" section.
 */
export interface ClientSpoolOptions {
  /**
   * Parent directory of the sinks' spool directories, absolute. Default `<LOG_DIR>/spool` (`LOG_DIR`, or
   * the service type's log directory: `/workspace/logs` for machines and workers; api and webhook
   * services have none, so they must set `LOG_DIR` or `dir`).
   */
  dir?: string;
  /** Bound on each sink's spool on disk, in bytes; records past it are dropped as `queue_full`. Default 256 MiB. */
  maxBytes?: number;
  /** When the spool calls fdatasync. Default `batch` (see `SpoolFsync`). */
  fsync?: SpoolFsync;
}

/** Defaults of {@link ClientSpoolOptions}. */
export const clientSpoolDefaults = Object.freeze({
  /** Off unless asked for: it costs a disk write per record (about 2 µs of background work, measured). */
  enabled: false,
  /** Subdirectory of the log directory. */
  subdir: "spool",
  maxBytes: 256 * 1024 * 1024,
  fsync: "batch",
} as const);

/** The resolved spool of a client: each sink spools to `<dir>/<sink name>`. */
export interface ResolvedClientSpool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly fsync: SpoolFsync;
}

const knownKeys = ["dir", "maxBytes", "fsync"] as const;

/**
 * Checks the client's `spool` option (`true`, `false` or {@link ClientSpoolOptions}) against the
 * configuration (for the `LOG_DIR` default). Touches no file (each sink creates its directory).
 * @returns undefined when the spool is off.
 * @throws TelemetryConfigError naming every problem of the option at once.
 */
export function resolveClientSpool(option: boolean | ClientSpoolOptions | undefined, config: TelemetryConfig): ResolvedClientSpool | undefined {
  if (option === undefined || option === false) return undefined;
  const problems = new OptionProblems("client");
  if (option !== true && (typeof option !== "object" || option === null)) {
    problems.add("spool", option, "true, false or { dir?, maxBytes?, fsync? }", "{ maxBytes: 268435456 }");
    problems.throwIfAny();
  }
  const given: ClientSpoolOptions = option === true ? {} : (option as ClientSpoolOptions);
  problems.unknownKeys(given, knownKeys, "spool.");
  const dir = given.dir ?? (config.logDir === undefined ? undefined : path.join(config.logDir, clientSpoolDefaults.subdir));
  if (dir === undefined)
    problems.add("spool.dir", undefined, "a directory; this service type has no log directory, so set LOG_DIR or spool.dir", '"/var/spool/emp"');
  else if (typeof dir !== "string" || !path.isAbsolute(dir)) problems.add("spool.dir", dir, "an absolute directory path", '"/var/spool/emp"');
  const maxBytes = given.maxBytes ?? clientSpoolDefaults.maxBytes;
  problems.integer("spool.maxBytes", maxBytes, 64 * 1024, Number.MAX_SAFE_INTEGER, "268435456");
  const fsync = given.fsync ?? clientSpoolDefaults.fsync;
  problems.oneOf("spool.fsync", fsync, ["never", "batch", "always"] as const);
  problems.throwIfAny();
  return Object.freeze({ dir: dir as string, maxBytes, fsync });
}

/** The spool directory of the sink named `sinkName` (its name made a safe file name). */
export function sinkSpoolDir(spool: ResolvedClientSpool, sinkName: string): string {
  return path.join(spool.dir, sinkName.replace(/[^A-Za-z0-9._-]/g, "_"));
}

/** The sinks' spool context for `option`: `{ spool }` when on, `{}` when off. @throws TelemetryConfigError as {@link resolveClientSpool}. */
export function spoolContext(option: boolean | ClientSpoolOptions | undefined, config: TelemetryConfig): { readonly spool?: ResolvedClientSpool } {
  const spool = resolveClientSpool(option, config);
  return spool === undefined ? {} : { spool };
}
