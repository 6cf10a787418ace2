import type { SpoolFsync } from "./spool-options.js";

/** A frozen snapshot of a spool, part of the sink's health. */
export interface SpoolHealth {
  readonly dir: string;
  readonly fsync: SpoolFsync;
  /** The bound, in bytes. */
  readonly maxBytes: number;
  /** Bytes of segment files not yet deleted plus estimates of records not yet written. */
  readonly bytes: number;
  /** Segment files on disk (open, closed and left by an earlier process). */
  readonly segments: number;
  /** Records accepted but not yet written (in the write buffer or the write in progress). */
  readonly pending: number;
  /** Records appended to a segment by this process: they survive a crash of the process. */
  readonly written: number;
  /** Records of this process fdatasync'd: they survive a crash of the machine (0 with `fsync: "never"`). */
  readonly synced: number;
  /** Records that did not fit the memory queue, spilled to disk only (ever). */
  readonly spilledTotal: number;
  /** Of those, the ones waiting on disk (or in the write buffer) to be read back; part of the sink's `queued`. */
  readonly spilled: number;
  /** Spilled records read back into the memory queue. */
  readonly readBack: number;
  /** Records read back from segments of an earlier process (they are resent first). */
  readonly recovered: number;
  /** Segments of an earlier process not read back yet. */
  readonly recoverableSegments: number;
  /** Corrupt regions skipped while reading segments back (bad CRC, cut-short frame, undecodable payload). */
  readonly corrupt: number;
  /**
   * Failed opens, writes, syncs, reads or deletes. Records also in memory stay there (only their durability
   * is lost); spilled records in a failed write or read are dropped as `spool_error`. The spool keeps trying.
   */
  readonly ioErrors: number;
  /** Records the serializer threw on (kept in memory only, or dropped as `spool_error` when spilled). */
  readonly serializeErrors: number;
  /** Segments deleted because every record in them was delivered or dropped. */
  readonly deletedSegments: number;
  /**
   * Leftover segments that could not be read back, moved aside as `<name>.quarantined` (kept, never
   * deleted): those found in the directory at start (an earlier run's) and those this process moved.
   */
  readonly quarantined: number;
  /** Their size, in bytes; it no longer counts toward `maxBytes`. */
  readonly quarantinedBytes: number;
}
