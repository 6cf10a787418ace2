import path from "node:path";
import { OptionProblems } from "../../config/option-problems.js";

/** Options of {@link createFileTransport}. Every field is optional; see {@link fileTransportDefaults}. */
export interface FileTransportOptions {
  /** NDJSON file to append to (relative paths resolve against the working directory); its directory is created. Default `logs/telemetry.ndjson`. */
  path?: string;
  /** Rotate before a write would take the file past this many bytes. Default 64 MiB. */
  maxFileBytes?: number;
  /** Rotated files kept (`<path>.1` newest … `<path>.<keepFiles>` oldest); 0 = none kept. Default 5. */
  keepFiles?: number;
  /** Key holding each record's time as RFC 3339 UTC with nanoseconds (`2023-11-14T22:13:20.123456789Z`). Default `time`. */
  timeKey?: string;
  /** Key holding the batch's tag, or `""` for none (Fluent Bit's `tail` sets its own tag). Default `""`. */
  tagKey?: string;
  /** Mode of a new file. Default `0o644`. */
  fileMode?: number;
}

/** {@link FileTransportOptions} after defaults are applied; `path` is absolute. */
export interface ResolvedFileTransportOptions {
  readonly path: string;
  readonly maxFileBytes: number;
  readonly keepFiles: number;
  readonly timeKey: string;
  readonly tagKey: string;
  readonly fileMode: number;
}

/**
 * Defaults of {@link FileTransportOptions}: 64 MiB files (Fluent Bit's `tail` reads them long before),
 * 5 rotated files kept (≤ 384 MiB on disk), the time under `time` in the format a Fluent Bit JSON
 * parser reads with `Time_Format %Y-%m-%dT%H:%M:%S.%L%z`.
 */
export const fileTransportDefaults = Object.freeze({
  path: "logs/telemetry.ndjson",
  maxFileBytes: 64 * 1024 * 1024,
  keepFiles: 5,
  timeKey: "time",
  tagKey: "",
  fileMode: 0o644,
} as const);

const knownKeys = ["path", "maxFileBytes", "keepFiles", "timeKey", "tagKey", "fileMode"] as const;

/**
 * Applies {@link fileTransportDefaults} to the options from code and checks every value. No
 * environment variable is read (the issues name none for the file sink; the configuration's
 * `LOG_DIR` picks the directory).
 * @throws TelemetryConfigError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveFileTransportOptions(options: FileTransportOptions = {}): ResolvedFileTransportOptions {
  const problems = new OptionProblems("file transport");
  problems.unknownKeys(options, knownKeys);
  const file = options.path ?? fileTransportDefaults.path;
  if (typeof file !== "string" || file === "" || file.endsWith("/") || file.includes("\0")) problems.add("path", file, "a file path", '"/var/log/emp/api.ndjson"');
  const maxFileBytes = options.maxFileBytes ?? fileTransportDefaults.maxFileBytes;
  problems.integer("maxFileBytes", maxFileBytes, 1, Number.MAX_SAFE_INTEGER, "67108864");
  const keepFiles = options.keepFiles ?? fileTransportDefaults.keepFiles;
  problems.integer("keepFiles", keepFiles, 0, 1000, "5");
  const timeKey = options.timeKey ?? fileTransportDefaults.timeKey;
  problems.text("timeKey", timeKey, "a record key", '"time"');
  const tagKey = options.tagKey ?? fileTransportDefaults.tagKey;
  if (typeof tagKey !== "string" || (tagKey !== "" && tagKey === timeKey)) problems.add("tagKey", tagKey, 'a record key other than timeKey, or ""', '"tag"');
  const fileMode = options.fileMode ?? fileTransportDefaults.fileMode;
  problems.integer("fileMode", fileMode, 0, 0o777, "0o640");
  problems.throwIfAny();
  return Object.freeze({ path: path.resolve(file), maxFileBytes, keepFiles, timeKey, tagKey, fileMode });
}
