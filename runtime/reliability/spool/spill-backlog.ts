import type { SpoolCodec } from "./spool-codec.js";
import { SettledPrefix } from "./settled-prefix.js";
import { SpillExtents } from "./spill-extents.js";
import { SpillReader } from "./spill-reader.js";

/**
 * Most bytes of spilled records waiting in the write buffer (serialized, not yet written). Past it a
 * spilled record is refused (`busy`): the disk is slower than the producer, and memory stays bounded.
 */
export const maxSpillBufferBytes = 4 * 1024 * 1024;

/** What {@link DiskSpool.spill} did with a record: kept for disk, or why not. */
export type SpillOutcome = "spilled" | "full" | "busy" | "serialize_error";

/** Spilled records taken from the write buffer for one write: their payloads and their callers' estimates. */
export interface SpillGroup {
  readonly payloads: Uint8Array[];
  readonly estimate: number;
}

/**
 * The spool's spilled records, from admission to read-back: the write buffer of serialized payloads,
 * the extents of the ones written, the reader, the counters, and the holes left by lost ones (see
 * {@link SettledPrefix}). Holds no record object: only bytes waiting to be written (bounded by the
 * caller) and a few numbers per extent.
 */
export class SpillBacklog<R> {
  readonly extents = new SpillExtents();
  readonly prefix = new SettledPrefix();
  readonly reader: SpillReader<R>;
  #payloads: Uint8Array[] = [];
  /** Frame bytes of the buffered payloads. */
  #bufferedBytes = 0;
  #estimate = 0;
  /** Spilled ever. */
  total = 0;
  /** Not read back nor lost (in the write buffer, being written, or on disk). */
  unread = 0;
  /** Read back into the memory queue. */
  readBack = 0;

  constructor(codec: SpoolCodec<R>) {
    this.reader = new SpillReader<R>(this.extents, codec);
  }

  /** Frame bytes waiting in the write buffer. */
  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /** Payloads waiting in the write buffer. */
  get buffered(): number {
    return this.#payloads.length;
  }

  /** Buffers a serialized record (frame `cost` bytes, caller's estimate `estimate`). */
  add(payload: Uint8Array, cost: number, estimate: number): void {
    this.#payloads.push(payload);
    this.#bufferedBytes += cost;
    this.#estimate += estimate > 0 ? estimate : 0;
    this.total++;
    this.unread++;
  }

  /** Empties the write buffer for one write. */
  takeGroup(): SpillGroup {
    const group = { payloads: this.#payloads, estimate: this.#estimate };
    this.#payloads = [];
    this.#bufferedBytes = 0;
    this.#estimate = 0;
    return group;
  }

  /** `count` spilled records from `firstOrdinal` were lost: no longer unread, a hole in the settled order. */
  lose(firstOrdinal: number, count: number): void {
    this.unread -= count;
    this.prefix.addHole(firstOrdinal, count);
  }
}
