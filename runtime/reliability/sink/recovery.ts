import type { DeliveryAccounting } from "../delivery-accounting.js";
import type { DiskSpool } from "../spool/disk-spool.js";
import type { LeftoverSegmentReader } from "../spool/leftover-segment.js";
import type { RecordSource } from "./record-source.js";

/** Records read back from one spool segment, a chunk at a time, handed out to batches before any new record. */
export interface ReplayedSegment<R> {
  readonly reader: LeftoverSegmentReader<R>;
  /** The records of the chunk read last, and their payload sizes. */
  records: R[];
  sizes: number[];
  /** Index of the next record of `records` to batch. */
  next: number;
  /** Records read and not settled yet (queued or in flight). */
  unsettled: number;
  /** True once the segment is read to its end. */
  done: boolean;
}

/**
 * Spool replay as one more batch source: the segments an earlier process left in the spool are read
 * back one at a time, each a chunk at a time (about 1 MiB of frames: one chunk's records in memory,
 * not a whole segment's), and their records are batched before any new record (at-least-once: they may
 * have arrived before the crash). A segment is released (deleted) once all its records settled,
 * unless the sink is shutting down (what is dropped then stays on disk for the next process).
 */
export class SpoolReplay<R> implements RecordSource<R> {
  readonly #spool: DiskSpool<R>;
  readonly #acc: DeliveryAccounting;
  readonly #onReleased: () => void;
  /** The segment being resent, if any. */
  #current: ReplayedSegment<R> | undefined;

  /** `onReleased` runs after a segment is released (flushes may be waiting for it). */
  constructor(spool: DiskSpool<R>, acc: DeliveryAccounting, onReleased: () => void) {
    this.#spool = spool;
    this.#acc = acc;
    this.#onReleased = onReleased;
  }

  /** True while records of an earlier process's spool segments are left to load, send or settle. */
  get active(): boolean {
    return this.#current !== undefined || this.#spool.recoverableSegments > 0;
  }

  /** True when the next segment, or the next chunk of the current one, should be read before anything else is sent. */
  get needsLoad(): boolean {
    const current = this.#current;
    if (current === undefined) return this.#spool.recoverableSegments > 0;
    return !current.done && current.next >= current.records.length;
  }

  /** The segment being resent, for the batches taken from it. */
  get current(): ReplayedSegment<R> | undefined {
    return this.#current;
  }

  /** Records of the current segment not settled yet. */
  get unsettled(): number {
    return this.#current?.unsettled ?? 0;
  }

  /** Records of the current segment left to batch. */
  get length(): number {
    const current = this.#current;
    return current === undefined ? 0 : current.records.length - current.next;
  }

  peekBytes(): number {
    const current = this.#current;
    return current === undefined ? 0 : (current.sizes[current.next] ?? 0);
  }

  poll(): R | undefined {
    const current = this.#current;
    if (current === undefined || current.next >= current.records.length) return undefined;
    return current.records[current.next++];
  }

  /**
   * Reads the next chunk of the current segment, or opens the next segment and reads its first chunk;
   * the records read count as emitted and queued (and resent). Nothing is handed out when `stopped()`
   * is true by the time it is read.
   */
  async load(stopped: () => boolean): Promise<void> {
    const spool = this.#spool;
    let current = this.#current;
    if (current === undefined) {
      const opened = await spool.loadNext();
      if (opened === undefined) return;
      if ("unreadable" in opened) {
        spool.releaseRecovered(opened.file);
        this.#onReleased();
        return;
      }
      current = { reader: opened, records: [], sizes: [], next: 0, unsettled: 0, done: false };
      this.#current = current;
    }
    const chunk = await spool.readMore(current.reader);
    if (stopped()) {
      // Shutting down: the segment stays on disk for the next process.
      await current.reader.close();
      if (this.#current === current) this.#current = undefined;
      return;
    }
    const count = chunk.records.length;
    current.records = chunk.records;
    current.sizes = chunk.sizes;
    current.next = 0;
    current.done = chunk.done;
    current.unsettled += count;
    for (let i = 0; i < count; i++) this.#acc.accepted();
    if (count > 0) this.#acc.resending(count);
    if (current.done && current.unsettled === 0) this.#release(current);
  }

  /** Counts `taken` records of `from` as settled; releases the segment when it is read and none is left, unless `retain`. */
  settle(from: ReplayedSegment<R>, taken: number, retain: boolean): void {
    from.unsettled -= taken;
    if (from.unsettled > 0 || !from.done || retain) return;
    this.#release(from);
  }

  #release(segment: ReplayedSegment<R>): void {
    this.#spool.releaseRecovered(segment.reader.file);
    if (this.#current === segment) this.#current = undefined;
    this.#onReleased();
  }

  /** At shutdown: forgets the current segment (it stays on disk, its file closed); returns how many of its records read were never batched. */
  stop(): number {
    const left = this.length;
    void this.#current?.reader.close();
    this.#current = undefined;
    return left;
  }
}
