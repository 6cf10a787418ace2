/**
 * Where spilled records lie on disk: a run of consecutive frames in one segment file, holding the
 * records with ordinals `firstOrdinal .. firstOrdinal + count - 1` (admission order), none of them in memory.
 */
export interface SpillExtent {
  readonly path: string;
  /** Byte offset of its first unread frame in the file. */
  offset: number;
  /** Bytes of its unread frames. */
  bytes: number;
  /** Ordinal of its first unread record. */
  firstOrdinal: number;
  /** Records not read back yet. */
  count: number;
  /**
   * Caller's byte estimate per payload byte of its records (their heap size over their serialized size),
   * so a record read back is counted in the memory queue about as it was before it was spilled.
   */
  readonly estimatePerByte: number;
}

/**
 * The spilled records not read back yet, oldest first, as extents: one per write group, merged with the
 * one before when it continues it (same file, next bytes, next ordinals), so a long outage costs one
 * extent per segment file, not one per record. O(1) per write.
 */
export class SpillExtents {
  readonly #extents: SpillExtent[] = [];

  /** The oldest extent, or undefined when every spilled record was read back. */
  get first(): SpillExtent | undefined {
    return this.#extents[0];
  }

  /** Extents held (a few dozen bytes each). */
  get length(): number {
    return this.#extents.length;
  }

  /**
   * Adds the `count` frames just written at `offset` (`bytes` long) in `path`, holding records from
   * `firstOrdinal`, whose caller estimates add up to `estimate` and payloads to `payloadBytes`.
   */
  push(path: string, offset: number, bytes: number, firstOrdinal: number, count: number, estimate: number, payloadBytes: number): void {
    const estimatePerByte = payloadBytes > 0 ? estimate / payloadBytes : 1;
    const last = this.#extents.at(-1);
    if (
      last !== undefined &&
      last.path === path &&
      last.offset + last.bytes === offset &&
      last.firstOrdinal + last.count === firstOrdinal &&
      Math.abs(last.estimatePerByte - estimatePerByte) < 0.25
    ) {
      last.bytes += bytes;
      last.count += count;
      return;
    }
    this.#extents.push({ path, offset, bytes, firstOrdinal, count, estimatePerByte });
  }

  /** Drops the oldest extent (read back, or given up). */
  shift(): void {
    this.#extents.shift();
  }

  /** Forgets every extent (the spool is closing). */
  clear(): void {
    this.#extents.length = 0;
  }
}
