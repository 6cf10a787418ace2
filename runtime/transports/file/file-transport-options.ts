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
  /** Mode of a new file. Default `0o644`. */
  fileMode?: number;
}

/** {@link FileTransportOptions} after defaults are applied; `path` is absolute. */
export interface ResolvedFileTransportOptions {
  readonly path: string;
  readonly maxFileBytes: number;
  readonly keepFiles: number;
  readonly fileMode: number;
}

/**
 * Defaults of {@link FileTransportOptions}: 64 MiB files (Fluent Bit's `tail` reads them long before),
 * 5 rotated files kept (≤ 384 MiB on disk). The lines' keys (time, tag) are the encoder's
 * (`createNdjsonLogEncoder`).
 */
export const fileTransportDefaults = Object.freeze({
  path: "logs/telemetry.ndjson",
  maxFileBytes: 64 * 1024 * 1024,
  keepFiles: 5,
  fileMode: 0o644,
} as const);

const knownKeys = ["path", "maxFileBytes", "keepFiles", "fileMode"] as const;

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
  if (typeof file !== "string" || file === "" || file.endsWith("/") || file.includes("\0"))
    problems.add("path", file, "a file path", '"/var/log/emp/api.ndjson"');
  const maxFileBytes = options.maxFileBytes ?? fileTransportDefaults.maxFileBytes;
  problems.integer("maxFileBytes", maxFileBytes, 1, Number.MAX_SAFE_INTEGER, "67108864");
  const keepFiles = options.keepFiles ?? fileTransportDefaults.keepFiles;
  problems.integer("keepFiles", keepFiles, 0, 1000, "5");
  const fileMode = options.fileMode ?? fileTransportDefaults.fileMode;
  problems.integer("fileMode", fileMode, 0, 0o777, "0o640");
  problems.throwIfAny();
  return Object.freeze({ path: path.resolve(file), maxFileBytes, keepFiles, fileMode });
}
