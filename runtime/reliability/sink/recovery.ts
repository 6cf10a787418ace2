import type { DeliveryAccounting } from "../delivery-accounting.js";
import type { DiskSpool } from "../spool/disk-spool.js";
import type { RecoveredSegment } from "../spool/leftover-segment.js";
import type { RecordSource } from "./record-source.js";

/** Records read back from one spool segment, handed out to batches before any new record. */
export interface ReplayedSegment<R> {
  readonly segment: RecoveredSegment<R>;
  /** Index of the next record to batch. */
  next: number;
  /** Records not settled yet (queued or in flight). */
  unsettled: number;
}

/**
 * Spool replay as one more batch source: the segments an earlier process left in the spool are read
 * back one at a time, and their records are batched before any new record (at-least-once: they may
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

  /** True when the next segment should be read before anything else is sent. */
  get needsLoad(): boolean {
    return this.#current === undefined && this.#spool.recoverableSegments > 0;
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
    return current === undefined ? 0 : current.segment.records.length - current.next;
  }

  peekBytes(): number {
    const current = this.#current;
    return current === undefined ? 0 : (current.segment.sizes[current.next] ?? 0);
  }

  poll(): R | undefined {
    const current = this.#current;
    if (current === undefined || current.next >= current.segment.records.length) return undefined;
    return current.segment.records[current.next++];
  }

  /**
   * Reads the next segment; its records count as emitted and queued (and resent). Nothing happens
   * when `stopped()` is true by the time it is read.
   */
  async load(stopped: () => boolean): Promise<void> {
    const spool = this.#spool;
    const segment = await spool.loadNext();
    if (segment === undefined || stopped()) return;
    const count = segment.records.length;
    if (count === 0) {
      spool.releaseRecovered(segment);
      this.#onReleased();
      return;
    }
    for (let i = 0; i < count; i++) this.#acc.accepted();
    this.#acc.resending(count);
    this.#current = { segment, next: 0, unsettled: count };
  }

  /** Counts `taken` records of `from` as settled; releases the segment when none is left, unless `retain`. */
  settle(from: ReplayedSegment<R>, taken: number, retain: boolean): void {
    from.unsettled -= taken;
    if (from.unsettled > 0 || retain) return;
    this.#spool.releaseRecovered(from.segment);
    if (this.#current === from) this.#current = undefined;
    this.#onReleased();
  }

  /** At shutdown: forgets the current segment (it stays on disk); returns how many of its records were never batched. */
  stop(): number {
    const left = this.length;
    this.#current = undefined;
    return left;
  }
}
