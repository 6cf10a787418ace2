/** How records become spool payloads and back. Neither runs on the hot path except to spill a record. */
export interface SpoolCodec<R> {
  /**
   * Record → bytes: in the write turn after `enqueue` for a record also kept in memory (if it throws the
   * record is kept in memory only, counted in `serializeErrors`), or at once for a record spilled to disk
   * (if it throws the record is dropped as `spool_error`).
   */
  readonly serialize: (record: R) => Uint8Array;
  /** Bytes → record, when a spilled record or an earlier process's segment is read back. If it throws the frame counts as `corrupt`. */
  readonly deserialize: (bytes: Uint8Array) => R;
  /** Resolves when the codec can run (its module loaded lazily): the spool awaits it before it writes or reads back. Never rejects. */
  readonly ready?: Promise<unknown>;
}
