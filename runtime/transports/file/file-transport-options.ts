import path from "node:path";
import { TelemetryError } from "../../errors/telemetry-error.js";

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

const knownKeys: ReadonlySet<string> = new Set(["path", "maxFileBytes", "keepFiles", "timeKey", "tagKey", "fileMode"]);

/**
 * Applies {@link fileTransportDefaults} and checks every value (no environment variable is read yet;
 * the issues name none for the file sink, so `env` is accepted for symmetry only).
 * @throws TelemetryError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveFileTransportOptions(
  options: FileTransportOptions = {},
  _env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedFileTransportOptions {
  const problems: string[] = [];
  const bad = (key: string, value: unknown, expected: string): void => {
    problems.push(`${key}=${typeof value === "string" ? JSON.stringify(value) : String(value)} (expected ${expected})`);
  };
  for (const key of Object.keys(options)) if (!knownKeys.has(key)) bad(key, "…", "no such option; known: " + [...knownKeys].join(", "));
  const file = options.path ?? fileTransportDefaults.path;
  if (typeof file !== "string" || file === "" || file.endsWith("/") || file.includes("\0")) bad("path", file, 'a file path, e.g. "/var/log/emp/api.ndjson"');
  const maxFileBytes = options.maxFileBytes ?? fileTransportDefaults.maxFileBytes;
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) bad("maxFileBytes", maxFileBytes, "a positive integer number of bytes, e.g. 67108864");
  const keepFiles = options.keepFiles ?? fileTransportDefaults.keepFiles;
  if (!Number.isInteger(keepFiles) || keepFiles < 0 || keepFiles > 1000) bad("keepFiles", keepFiles, "an integer 0..1000, e.g. 5");
  const timeKey = options.timeKey ?? fileTransportDefaults.timeKey;
  if (typeof timeKey !== "string" || timeKey === "") bad("timeKey", timeKey, 'a record key, e.g. "time"');
  const tagKey = options.tagKey ?? fileTransportDefaults.tagKey;
  if (typeof tagKey !== "string" || (tagKey !== "" && tagKey === timeKey)) bad("tagKey", tagKey, 'a record key other than timeKey, e.g. "tag", or ""');
  const fileMode = options.fileMode ?? fileTransportDefaults.fileMode;
  if (!Number.isInteger(fileMode) || fileMode < 0 || fileMode > 0o777) bad("fileMode", fileMode, "a permission mode, e.g. 0o640");
  if (problems.length > 0) throw new TelemetryError(`invalid file transport options: ${problems.join("; ")}`, "config_invalid");
  return Object.freeze({ path: path.resolve(file), maxFileBytes, keepFiles, timeKey, tagKey, fileMode });
}
