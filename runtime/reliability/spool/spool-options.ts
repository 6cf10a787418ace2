import { maxTimerMs, OptionProblems } from "../../config/option-problems.js";

/**
 * When the spool calls `fdatasync` (see {@link SpoolOptions.fsync}). Every policy writes accepted
 * records to the segment file within one event-loop turn of `enqueue` (or right after the write in
 * progress), so all of them survive a crash of the PROCESS (`kill -9`, OOM) once written; they
 * differ in what survives a crash of the MACHINE (power loss, kernel panic):
 * - `always`: each write group (the records accepted during one turn) is fdatasync'd before the next
 *   group is written. Lost on power loss: only records not yet written or synced (≈ one turn plus one
 *   write and one sync, typically a few ms). Costs one fdatasync per group, never per call.
 * - `batch` (default): fdatasync once `syncEveryRecords` written records are unsynced (default: the
 *   sink's `maxBatchRecords`), `syncIntervalMs` after an unsynced write, when a segment is closed and
 *   at shutdown. Lost on power loss: at most that many records or that much time.
 * - `never`: no fdatasync; the kernel writes back when it likes (on Linux typically within 30 s).
 */
export type SpoolFsync = "never" | "batch" | "always";

/** Options of the optional disk spool of a sink (`SinkOptions.spool`). */
export interface SpoolOptions {
  /** Directory of the segment files, created if missing. One sink per directory. */
  dir: string;
  /**
   * Bound on the spool's bytes on disk (frames of unsettled and not-yet-deleted records, plus the
   * caller's estimate + 12 bytes for each record not yet written), in bytes. Segments left by an
   * earlier process count too until they are resent. A record that does not fit is dropped as
   * `queue_full`. Once the memory queue is full, records spill to disk and this is the only bound.
   */
  maxBytes: number;
  /** When to fdatasync; default `batch`. See {@link SpoolFsync}. */
  fsync?: SpoolFsync;
  /** A segment is closed, and a new one started, once it holds this many bytes. Default: `maxBytes / 16` within 64 KiB..4 MiB. */
  segmentBytes?: number;
  /** With `fsync: "batch"`: longest an unsynced write waits for its fdatasync, in ms. Default 1000. */
  syncIntervalMs?: number;
  /** With `fsync: "batch"`: fdatasync once this many written records are unsynced. Default: the sink's `maxBatchRecords`. */
  syncEveryRecords?: number;
}

/** Defaults of {@link SpoolOptions}. */
export const spoolDefaults = Object.freeze({
  fsync: "batch",
  minSegmentBytes: 64 * 1024,
  maxSegmentBytes: 4 * 1024 * 1024,
  syncIntervalMs: 1000,
} as const);

/** {@link SpoolOptions} after defaults, frozen. */
export interface ResolvedSpoolOptions {
  readonly dir: string;
  readonly maxBytes: number;
  readonly fsync: SpoolFsync;
  readonly segmentBytes: number;
  readonly syncIntervalMs: number;
  readonly syncEveryRecords: number;
}

const knownKeys = ["dir", "maxBytes", "fsync", "segmentBytes", "syncIntervalMs", "syncEveryRecords"] as const;

/**
 * Checks spool options and applies {@link spoolDefaults}; `defaultSyncEveryRecords` is the sink's
 * batch size. Touches no file (the directory is created by the spool).
 * @throws TelemetryError `config_invalid` naming every bad key.
 */
export function resolveSpoolOptions(options: SpoolOptions, defaultSyncEveryRecords: number): ResolvedSpoolOptions {
  const problems = new OptionProblems("spool");
  if (typeof options !== "object" || options === null) {
    problems.add("spool", typeof options, "an object { dir, maxBytes, fsync? }", '{ dir: "/var/spool/telemetry", maxBytes: 268435456 }');
    problems.throwIfAny();
  }
  problems.unknownKeys(options, knownKeys);
  problems.text("dir", options.dir, "a directory path", '"/var/spool/telemetry"');
  problems.integer("maxBytes", options.maxBytes, 1024, Number.MAX_SAFE_INTEGER, "268435456");
  const fsync = options.fsync ?? spoolDefaults.fsync;
  problems.oneOf("fsync", fsync, ["never", "batch", "always"] as const);
  const maxBytes = typeof options.maxBytes === "number" ? options.maxBytes : 0;
  const segmentBytes = options.segmentBytes ?? Math.min(spoolDefaults.maxSegmentBytes, Math.max(spoolDefaults.minSegmentBytes, Math.floor(maxBytes / 16)));
  problems.integer("segmentBytes", segmentBytes, 1, Number.MAX_SAFE_INTEGER, "1048576");
  const syncIntervalMs = options.syncIntervalMs ?? spoolDefaults.syncIntervalMs;
  problems.milliseconds("syncIntervalMs", syncIntervalMs, "1000");
  const syncEveryRecords = options.syncEveryRecords ?? defaultSyncEveryRecords;
  problems.integer("syncEveryRecords", syncEveryRecords, 1, Number.MAX_SAFE_INTEGER, "512");
  problems.throwIfAny();
  return Object.freeze({ dir: options.dir, maxBytes, fsync, segmentBytes, syncIntervalMs: Math.min(syncIntervalMs, maxTimerMs), syncEveryRecords });
}
