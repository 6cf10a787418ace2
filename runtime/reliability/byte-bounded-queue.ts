import { OptionProblems } from "../config/option-problems.js";

/** Options of {@link ByteBoundedQueue}. See {@link byteBoundedQueueDefaults}. */
export interface ByteBoundedQueueOptions {
  /**
   * Upper bound on the sum of the byte estimates of the queued records. A record whose estimate
   * does not fit is refused by {@link ByteBoundedQueue.offer}. Default 32 MiB.
   */
  maxQueueBytes?: number;
}

/**
 * Defaults of {@link ByteBoundedQueueOptions}: 32 MiB of byte estimates per sink, enough for about a
 * minute of a busy service (≈ 45k typical records) during a collector restart, small next to a Node
 * heap. The estimate is the caller's: for log entries, the heap bytes the entry holds, every string,
 * list, map and buffer of its data included (`runtime/records/value-size.ts`, calibrated against
 * measured heap, ASCII strings counted at 2 bytes a unit), so the bound is a bound on memory.
 */
export const byteBoundedQueueDefaults = Object.freeze({
  maxQueueBytes: 32 * 1024 * 1024,
} as const);

/** Slots of a new ring; it doubles, so its capacity is always a power of two (see `push`). */
const initialCapacity = 64;

/**
 * `n` empty slots in an array of the generic element kind from the start, as every ring array is:
 * `new Array(n)` alone starts as an array of small integers, and its kind (its hidden class) would
 * change with its first object or `undefined`, each time the ring grows, which sends the optimized
 * code of the queue and of its callers back to the interpreter to be compiled again.
 */
function emptySlots<T>(n: number): Array<T | undefined> {
  return new Array<T | undefined>(n).fill(undefined);
}

/**
 * Checks options and applies {@link byteBoundedQueueDefaults}.
 * @throws TelemetryError `config_invalid` naming every bad key (the only place this module throws).
 */
export function resolveByteBoundedQueueOptions(options: ByteBoundedQueueOptions = {}): Required<ByteBoundedQueueOptions> {
  const problems = new OptionProblems("queue");
  problems.unknownKeys(options, ["maxQueueBytes"]);
  const maxQueueBytes = options.maxQueueBytes ?? byteBoundedQueueDefaults.maxQueueBytes;
  problems.integer("maxQueueBytes", maxQueueBytes, 1, Number.MAX_SAFE_INTEGER, "33554432");
  problems.throwIfAny();
  return Object.freeze({ maxQueueBytes });
}

/**
 * A FIFO of records, each with a byte estimate, bounded by the sum of the estimates (never by count).
 *
 * It is a growable ring buffer: `offer` and `poll` are O(1) amortised and allocate nothing except
 * when the ring doubles (so a steady state allocates nothing). Polled slots are cleared so records
 * can be collected. The ring never shrinks: it keeps the largest slot count it has needed (8 bytes
 * per slot).
 *
 * Failure behaviour: never throws after construction. A negative or `NaN` estimate counts as 0;
 * a record whose estimate alone exceeds `maxQueueBytes` is always refused.
 */
export class ByteBoundedQueue<T> {
  /** The bound on {@link ByteBoundedQueue.bytes} plus {@link ByteBoundedQueue.heldBytes}, in bytes. */
  readonly maxQueueBytes: number;
  #items: Array<T | undefined>;
  #sizes: Float64Array;
  #head = 0;
  #length = 0;
  #bytes = 0;
  #held = 0;

  /** @throws TelemetryError `config_invalid` for a bad `maxQueueBytes`. */
  constructor(options?: ByteBoundedQueueOptions) {
    this.maxQueueBytes = resolveByteBoundedQueueOptions(options).maxQueueBytes;
    this.#items = emptySlots<T>(initialCapacity);
    this.#sizes = new Float64Array(initialCapacity);
    // The counters start as what they become with the first records: fields V8 can change (not
    // constants), the byte sums holding doubles (sizes come out of a Float64Array). Otherwise the
    // first write of each changes the queue's hidden class, and the optimized code of the queue and of
    // its callers is thrown away and compiled again, in the middle of the first large burst.
    this.#head = this.#length = 1;
    this.#bytes = this.#held = 0.5;
    this.#head = this.#length = this.#bytes = this.#held = 0;
  }

  /** Number of queued records. */
  get length(): number {
    return this.#length;
  }

  /** Sum of the byte estimates of the queued records. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Estimates of records taken out of the queue that still count toward its bound (see {@link hold}). */
  get heldBytes(): number {
    return this.#held;
  }

  /**
   * Keeps counting `bytes` of estimates toward the bound after their records were polled, until
   * {@link release}: the sink holds the estimates of batches it encoded ahead of sending.
   */
  hold(bytes: number): void {
    if (bytes > 0) this.#held += bytes;
  }

  /** Stops counting `bytes` held with {@link hold}. */
  release(bytes: number): void {
    if (bytes > 0) this.#held = Math.max(0, this.#held - bytes);
  }

  /** Whether a record with this byte estimate would fit: `bytes + heldBytes + estimate <= maxQueueBytes`. */
  fits(bytes: number): boolean {
    return this.#bytes + this.#held + (bytes > 0 ? bytes : 0) <= this.maxQueueBytes;
  }

  /**
   * Appends `record` with its byte estimate. Returns false, and keeps nothing, when `bytes +
   * heldBytes + estimate` would exceed `maxQueueBytes`; the caller counts the drop (`queue_full`).
   */
  offer(record: T, bytes: number): boolean {
    const size = bytes > 0 ? bytes : 0;
    if (this.#bytes + this.#held + size > this.maxQueueBytes) return false;
    this.push(record, size);
    return true;
  }

  /**
   * Appends `record` with its byte estimate whatever the bound says: for records that were already
   * accepted elsewhere (read back from a disk spool into room the caller measured). Never throws.
   */
  push(record: T, bytes: number): void {
    const size = bytes > 0 ? bytes : 0;
    if (this.#length === this.#items.length) this.#grow();
    // The capacity is a power of two: a mask wraps the ring without a branch taken only late.
    const tail = (this.#head + this.#length) & (this.#items.length - 1);
    this.#items[tail] = record;
    this.#sizes[tail] = size;
    this.#length++;
    this.#bytes += size;
  }

  /** Byte estimate of the oldest record, or 0 when empty. */
  peekBytes(): number {
    return this.#length === 0 ? 0 : (this.#sizes[this.#head] ?? 0);
  }

  /** Removes and returns the oldest record, or `undefined` when empty. */
  poll(): T | undefined {
    if (this.#length === 0) return undefined;
    const head = this.#head;
    const record = this.#items[head];
    this.#items[head] = undefined;
    this.#bytes -= this.#sizes[head] ?? 0;
    this.#head = (head + 1) & (this.#items.length - 1);
    this.#length--;
    if (this.#length === 0) this.#bytes = 0; // no float drift once empty
    return record;
  }

  /** Removes every record; returns how many there were. */
  clear(): number {
    const removed = this.#length;
    this.#items.fill(undefined);
    this.#head = 0;
    this.#length = 0;
    this.#bytes = 0;
    return removed;
  }

  #grow(): void {
    const capacity = this.#items.length;
    const items = emptySlots<T>(capacity * 2);
    const sizes = new Float64Array(capacity * 2);
    const mask = capacity - 1;
    for (let i = 0; i < this.#length; i++) {
      const from = (this.#head + i) & mask;
      items[i] = this.#items[from];
      sizes[i] = this.#sizes[from] ?? 0;
    }
    this.#items = items;
    this.#sizes = sizes;
    this.#head = 0;
  }
}
