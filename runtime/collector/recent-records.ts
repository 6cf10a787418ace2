import type { ReceivedRecord } from "./collector-records.js";

/** One kept record and the bytes it is estimated to hold. */
interface Kept {
  record: ReceivedRecord | undefined;
  readonly bytes: number;
  readonly ring: Kept[];
}

/** A ring of recent records (one per service and signal), oldest first; filled by {@link RecentRecords}. */
export type RecentRing = Kept[];

/** What {@link RecentRecords} holds, for the status API. */
export interface RecentRecordsStats {
  /** Records kept over all services. */
  readonly records: number;
  /** Their estimated bytes. */
  readonly bytes: number;
  /** The budget (`recentBytes`). */
  readonly maxBytes: number;
  /** Records forgotten early to keep within `maxBytes`, oldest first. */
  readonly droppedOverBytes: number;
}

/** Bytes of a string, number or container beyond its contents: V8's headers, rounded up. */
const overhead = 16;

/**
 * Estimated heap bytes of a plain value (a decoded record): strings by length, numbers, and every
 * key and element of objects and arrays, 64 levels deep at most. Linear in the value's size.
 */
export function estimatedBytes(value: unknown, depth = 0): number {
  if (typeof value === "string") return overhead + value.length;
  if (typeof value !== "object" || value === null || depth > 64) return 8;
  if (value instanceof Uint8Array) return overhead + value.byteLength;
  let bytes = overhead;
  if (Array.isArray(value)) {
    for (const v of value) bytes += 8 + estimatedBytes(v, depth + 1);
    return bytes;
  }
  for (const key of Object.keys(value)) bytes += overhead + key.length + estimatedBytes((value as Record<string, unknown>)[key], depth + 1);
  return bytes;
}

/**
 * The collector's recent records per service and signal: at most `perRing` in each ring, and at most
 * `maxBytes` (estimated) over all of them, the oldest records forgotten first (counted), so a flood of
 * large records cannot grow the collector's memory beyond the budget. O(1) amortized per record beyond
 * the size estimate.
 */
export class RecentRecords {
  readonly #perRing: number;
  readonly #maxBytes: number;
  /** Every kept record in arrival order from `#head` (forgotten ones emptied, compacted now and then). */
  #order: Kept[] = [];
  #head = 0;
  #records = 0;
  #bytes = 0;
  #dropped = 0;

  constructor(perRing: number, maxBytes: number) {
    this.#perRing = perRing;
    this.#maxBytes = maxBytes;
  }

  /** Keeps `record` at the end of `ring`, forgetting what falls out of the ring or over the byte budget. */
  add(ring: RecentRing, record: ReceivedRecord): void {
    const kept: Kept = { record, bytes: estimatedBytes(record), ring };
    ring.push(kept);
    this.#order.push(kept);
    this.#records++;
    this.#bytes += kept.bytes;
    if (ring.length > this.#perRing) this.#forget(ring.shift()!);
    while (this.#bytes > this.#maxBytes && this.#head < this.#order.length) {
      const oldest = this.#order[this.#head++]!;
      if (oldest.record === undefined) continue;
      // Every older record of its ring was forgotten before it: it is the ring's first.
      oldest.ring.shift();
      this.#forget(oldest);
      this.#dropped++;
    }
    this.#compact();
  }

  /** The records of `ring`, oldest first. */
  static records(ring: RecentRing): ReceivedRecord[] {
    return ring.map((k) => k.record!);
  }

  stats(): RecentRecordsStats {
    return { records: this.#records, bytes: this.#bytes, maxBytes: this.#maxBytes, droppedOverBytes: this.#dropped };
  }

  #forget(kept: Kept): void {
    kept.record = undefined;
    this.#records--;
    this.#bytes -= kept.bytes;
  }

  /** Drops forgotten entries from the arrival order once they are most of it. */
  #compact(): void {
    const held = this.#order.length - this.#head;
    if (held < 1024 || held < 2 * this.#records) return;
    this.#order = this.#order.slice(this.#head).filter((k) => k.record !== undefined);
    this.#head = 0;
  }
}
