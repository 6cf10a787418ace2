import { TelemetryError } from "../../errors/telemetry-error.js";
import type { EncodedBatch, SendResult } from "../../transports/transport.js";
import { TransportError } from "../../transports/transport-error.js";
import { Backoff } from "../backoff.js";
import type { ByteBoundedQueue } from "../byte-bounded-queue.js";
import type { CircuitBreaker } from "../circuit-breaker.js";
import type { DeliveryAccounting, DropReason } from "../delivery-accounting.js";
import type { ResolvedSinkOptions } from "./options.js";
import { takeRecords, type RecordSource } from "./record-source.js";
import type { ReplayedSegment, SpoolReplay } from "./recovery.js";

type LoopState = "idle" | "scheduled" | "running" | "waiting";

/** Records taken for a batch, to be settled together: from the queue, or from a replayed spool segment. */
export interface TakenRecords {
  /**
   * Records taken for this batch, including any dropped as `encode_error`, and those of an ahead
   * batch after it that could not be encoded at all: settled together, so settling stays FIFO.
   */
  taken: number;
  /** Set when the records come from a spool segment of an earlier process. */
  readonly recovery?: ReplayedSegment<unknown>;
}

/** A batch taken from the queue (or a replayed segment) and encoded: in flight until settled. */
export interface InFlightBatch extends TakenRecords {
  readonly encoded: EncodedBatch;
  /** Records in `encoded` (in flight). */
  readonly count: number;
  /** Byte estimates of the records, held in the queue's bound while the batch waits, encoded ahead. */
  held: number;
  attempts: number;
}

/** What the loop shares with its sink. */
export interface BatchLoopParts<R> {
  readonly options: ResolvedSinkOptions<R>;
  readonly queue: ByteBoundedQueue<R>;
  readonly acc: DeliveryAccounting;
  readonly breaker: CircuitBreaker;
  /** The spool replay, when the sink has a spool. */
  readonly replay: SpoolReplay<R> | undefined;
  /** Aborted at the shutdown deadline: passed to every send. */
  readonly signal: AbortSignal;
  /** True once shutdown began (a `failed` with code `shutdown` then counts as `shutdown`, not `rejected`). */
  readonly closing: () => boolean;
  /** True while a flush waits: partial batches go at once. */
  readonly flushing: () => boolean;
  /** Counts a batch's taken records as settled (delivered or dropped). */
  readonly settle: (batch: TakenRecords) => void;
  /** Rate-limited diagnostic (first of each kind). */
  readonly diagnose: (kind: string, message: string) => void;
  /** Counts a bug caught inside the loop. */
  readonly internalError: () => void;
}

/**
 * Records of a batch the receiver rejected inside an `ok` (its `partialSuccess`, e.g. OTLP
 * `partial_success`), clamped to `0..count`.
 */
function rejectedOf(result: Extract<SendResult, { readonly status: "ok" }>, count: number): number {
  const rejected = result.partialSuccess?.rejected;
  return rejected !== undefined && rejected > 0 ? Math.min(Math.floor(rejected), count) : 0;
}

/**
 * A sink's background loop: takes batches of up to `maxBatchRecords` / `maxBatchBytes` (records of
 * a replayed spool segment first), as soon as a batch is full or `flushIntervalMs` after the first
 * record arrived at an idle loop (linger), encodes them, and sends one batch at a time so records
 * leave in order. After a delivered batch, less than a full batch lingers again while records keep
 * arriving (unless a flush waits or the sink shuts down); once they stop, the rest goes at once.
 * While a batch is being sent, the full batches behind it are encoded ahead. It applies each outcome:
 * `ok` delivers (minus a partial rejection), `failed` drops as `rejected`, `retryable` resends the
 * same encoded batch after the backoff delay; the breaker gates every send.
 * Timers are unref'd.
 */
export class BatchLoop<R> {
  readonly #p: BatchLoopParts<R>;
  readonly #o: ResolvedSinkOptions<R>;
  readonly #queue: ByteBoundedQueue<R>;
  readonly #backoff: Backoff;
  readonly #maxBatchRecords: number;
  readonly #maxBatchBytes: number;
  readonly #run = (): void => {
    void this.#drain();
  };
  readonly #onLinger = (): void => {
    this.#lingerArmed = false;
    if (this.#state === "idle" && this.#hasWork() && !this.#stopped) this.#schedule();
  };
  readonly #runAhead = (): void => {
    this.#aheadScheduled = false;
    try {
      if (this.#state === "running") this.#encodeAhead();
    } catch {
      this.#p.internalError();
    }
  };
  #aheadScheduled = false;
  /** Records queued so far (for {@link #lingers}: whether any arrived during a send). */
  #arrived = 0;
  #state: LoopState = "idle";
  #lingerTimer: NodeJS.Timeout | undefined;
  #lingerArmed = false;
  #waitTimer: NodeJS.Timeout | undefined;
  #batch: InFlightBatch | undefined;
  /** The next batches, taken from the queue and encoded while `#batch` was being sent (see {@link #encodeAhead}), oldest first. */
  #ahead: InFlightBatch[] = [];
  #stopped = false;

  constructor(parts: BatchLoopParts<R>) {
    this.#p = parts;
    this.#o = parts.options;
    this.#queue = parts.queue;
    this.#backoff = new Backoff(parts.options.backoff);
    this.#maxBatchRecords = parts.options.maxBatchRecords;
    this.#maxBatchBytes = parts.options.maxBatchBytes;
  }

  /** True while the loop waits out a retry delay or an open breaker's cool-down: queued records wait longer than a batch. */
  get holding(): boolean {
    return this.#state === "waiting";
  }

  /** True once {@link stop} was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Hot path, after a record was queued: an idle loop starts at once when a batch is full, else
   * arms the linger timer; a running loop encodes the full batch ahead in the next turn.
   */
  recordQueued(): void {
    this.#arrived++;
    const queue = this.#queue;
    if (this.#state === "idle") {
      if (queue.length >= this.#maxBatchRecords || queue.bytes >= this.#maxBatchBytes) this.#schedule();
      else if (!this.#lingerArmed) this.#armLinger();
    } else if (this.#state === "running" && !this.#aheadScheduled && (queue.length >= this.#maxBatchRecords || queue.bytes >= this.#maxBatchBytes)) {
      this.#aheadScheduled = true;
      setImmediate(this.#runAhead);
    }
  }

  /** Starts a pass in the next turn if the loop is idle (a flush, a spool replay to do). */
  kick(): void {
    if (this.#state === "idle" && !this.#stopped) this.#schedule();
  }

  /** Runs now instead of waiting out a backoff delay or breaker cool-down. */
  wake(): void {
    if (this.#state === "waiting") {
      clearTimeout(this.#waitTimer);
      this.#schedule();
    }
  }

  /**
   * Stops the loop for good (timers cleared; a send in flight is ignored when it completes) and
   * returns the batches it held, oldest first, their estimates released from the queue's bound.
   */
  stop(): InFlightBatch[] {
    this.#stopped = true;
    clearTimeout(this.#lingerTimer);
    clearTimeout(this.#waitTimer);
    if (this.#state === "waiting" || this.#state === "scheduled") this.#state = "idle";
    const held: InFlightBatch[] = [];
    const batch = this.#batch;
    this.#batch = undefined;
    if (batch) held.push(batch);
    for (const ahead of this.#ahead.splice(0)) {
      this.#queue.release(ahead.held);
      ahead.held = 0;
      held.push(ahead);
    }
    return held;
  }

  #hasWork(): boolean {
    return this.#queue.length > 0 || this.#batch !== undefined || this.#ahead.length > 0 || this.#recovering();
  }

  #recovering(): boolean {
    return this.#p.replay?.active ?? false;
  }

  #schedule(): void {
    this.#state = "scheduled";
    setImmediate(this.#run);
  }

  #armLinger(): void {
    this.#lingerArmed = true;
    if (this.#lingerTimer) this.#lingerTimer.refresh();
    else this.#lingerTimer = setTimeout(this.#onLinger, this.#o.flushIntervalMs).unref();
  }

  #wait(delayMs: number): void {
    this.#state = "waiting";
    this.#waitTimer = setTimeout(this.#run, Math.max(1, delayMs)).unref();
  }

  async #drain(): Promise<void> {
    if (this.#state === "running") return;
    this.#state = "running";
    this.#waitTimer = undefined;
    const { acc, breaker } = this.#p;
    // Set by a delivered batch when records arrived during its send: the next batch is still filling (see #lingers).
    let fillingAfterDelivery = false;
    try {
      while (!this.#stopped) {
        const replay = this.#p.replay;
        if (this.#batch === undefined && replay !== undefined && replay.needsLoad) {
          await replay.load(() => this.#stopped); // records of an earlier process go first
          continue;
        }
        if (fillingAfterDelivery && this.#lingers()) break;
        const batch = this.#batch ?? this.#nextBatch();
        if (batch === undefined) {
          if (!this.#hasWork()) break;
          continue; // the records were dropped as encode_error
        }
        if (!breaker.tryAcquire()) {
          this.#wait(breaker.remainingCooldownMs());
          return;
        }
        if (batch.attempts > 0) acc.resending(batch.count);
        batch.attempts++;
        const startedMs = this.#o.now();
        const arrivedAtSend = this.#arrived;
        const sending = this.#send(batch.encoded);
        this.#encodeAhead();
        const result = await sending;
        if (batch !== this.#batch) continue; // dropped as `shutdown` at the deadline meanwhile
        const doneMs = this.#o.now();
        if (result.status === "ok") {
          breaker.recordSuccess();
          this.#backoff.reset();
          this.#batch = undefined;
          const rejected = rejectedOf(result, batch.count);
          acc.delivered(batch.count - rejected, doneMs, doneMs - startedMs);
          if (rejected > 0) this.#partiallyRejected(result.partialSuccess?.errorMessage, rejected, batch.count, doneMs);
          this.#p.settle(batch);
          this.#release(batch.encoded, true);
          fillingAfterDelivery = this.#arrived !== arrivedAtSend;
        } else if (result.status === "failed") {
          breaker.recordFailure();
          acc.failed(result.error.message, result.error.code, doneMs);
          const reason: DropReason = this.#p.closing() && result.error.code === "shutdown" ? "shutdown" : "rejected";
          this.#batch = undefined;
          acc.droppedInFlight(reason, batch.count);
          this.#p.diagnose(reason, `batch of ${batch.count} dropped: ${result.error.message}`);
          this.#p.settle(batch);
          this.#release(batch.encoded, false);
        } else {
          breaker.recordFailure();
          acc.failed(result.error.message, result.error.code, doneMs);
          this.#wait(this.#backoff.nextDelayMs(result.retryAfterMs));
          return;
        }
      }
    } catch {
      this.#p.internalError();
    }
    this.#state = "idle";
    if (this.#hasWork() && !this.#stopped && !this.#lingerArmed) this.#armLinger();
  }

  /**
   * After a delivered batch during whose send records arrived (the next batch is still filling),
   * whether the queue waits for the linger instead of going at once: less than a full batch in it,
   * none encoded ahead or replayed, no flush waiting and no shutdown. A receiver that keeps up would
   * otherwise get a batch of whatever arrived during each send (a handful of records per turn), each
   * costing a write, an ack and a wake-up. When none arrived (the end of a burst), the rest goes at once.
   */
  #lingers(): boolean {
    const queue = this.#queue;
    return (
      this.#batch === undefined &&
      this.#ahead.length === 0 &&
      !this.#recovering() &&
      queue.length < this.#maxBatchRecords &&
      queue.bytes < this.#maxBatchBytes &&
      !this.#p.flushing() &&
      !this.#p.closing()
    );
  }

  /** The sink is done with a batch: acknowledged (`reusable`), or dropped (see {@link EncodedBatch.release}). */
  #release(encoded: EncodedBatch, reusable: boolean): void {
    try {
      encoded.release?.(reusable);
    } catch {
      this.#p.internalError();
    }
  }

  async #send(encoded: EncodedBatch): Promise<SendResult> {
    try {
      return await this.#o.transport.send(encoded, this.#p.signal);
    } catch (error: unknown) {
      this.#p.internalError();
      return { status: "failed", error: TransportError.from(error, "internal") };
    }
  }

  /**
   * Moves up to one batch from the recovered spool segment, else from the queue, to in flight and
   * encodes it; undefined if it could not be encoded.
   */
  #nextBatch(): InFlightBatch | undefined {
    const ahead = this.#ahead.shift();
    if (ahead !== undefined) {
      this.#queue.release(ahead.held);
      ahead.held = 0;
      this.#batch = ahead;
      return ahead;
    }
    const replay = this.#p.replay;
    const batch = replay !== undefined && replay.length > 0 ? this.#takeBatch(replay, replay.current, false) : this.#takeBatch(this.#queue, undefined, false);
    this.#batch = batch;
    return batch;
  }

  /**
   * While a batch is being sent (called when its send starts, and in the turn after the queue fills a
   * batch meanwhile), takes the full batches from the queue and encodes them. Their records
   * are then garbage by the time the send completes instead of waiting in the queue for it, so most
   * records die young (the garbage collector's cheapest case) and only their bytes wait, smaller
   * than the records. Their estimates stay in the queue's bound until they are sent, so the bound
   * holds as before. Full batches only; never while records of an earlier process's spool are resent.
   */
  #encodeAhead(): void {
    if (this.#stopped || this.#recovering()) return;
    const queue = this.#queue;
    while (queue.length >= this.#maxBatchRecords || queue.bytes >= this.#maxBatchBytes) this.#takeBatch(queue, undefined, true);
  }

  /**
   * Moves up to one batch from `source` to in flight and encodes it; undefined if `source` is empty
   * or no record could be encoded. `recovery`: the replayed segment the records come from. `ahead`:
   * the batch is queued in `#ahead`, behind the one being sent, its estimates held in the queue's bound.
   */
  #takeBatch(source: RecordSource<R>, recovery: ReplayedSegment<R> | undefined, ahead: boolean): InFlightBatch | undefined {
    if (source.length === 0) return undefined;
    const { records, bytes } = takeRecords(source, this.#maxBatchRecords, this.#maxBatchBytes);
    this.#p.acc.startedSending(records.length);
    const batch = this.#encode(records, recovery, ahead);
    if (ahead) {
      if (batch === undefined) return undefined;
      this.#queue.hold(bytes);
      batch.held = bytes;
      this.#ahead.push(batch);
    }
    return batch;
  }

  /**
   * Encodes `records` (all in flight); drops the ones that cannot be encoded as `encode_error`.
   * `ahead`: when none can be, they are settled with the batch before them, not before it.
   */
  #encode(records: R[], recovery: ReplayedSegment<R> | undefined, ahead: boolean): InFlightBatch | undefined {
    const from = recovery === undefined ? {} : { recovery: recovery as ReplayedSegment<unknown> };
    try {
      return { encoded: this.#o.encode(records), count: records.length, taken: records.length, held: 0, attempts: 0, ...from };
    } catch (error: unknown) {
      this.#encodeFailed(error);
    }
    // Isolate the bad records so that one of them does not cost the whole batch.
    const good: R[] = [];
    if (records.length > 1) {
      for (const record of records) {
        try {
          this.#o.encode([record]);
          good.push(record);
        } catch {
          // counted just below, with the other records that cannot be encoded
        }
      }
    }
    // The dropped records are settled (for flush) with the rest of the batch, so that a flush never
    // completes while records enqueued before it are still in flight.
    const acc = this.#p.acc;
    acc.droppedInFlight("encode_error", records.length - good.length);
    let encoded: EncodedBatch | undefined;
    try {
      if (good.length > 0) encoded = this.#o.encode(good);
    } catch (error: unknown) {
      this.#encodeFailed(error);
    }
    if (encoded === undefined) {
      acc.droppedInFlight("encode_error", good.length);
      const before = ahead ? (this.#ahead.at(-1) ?? this.#batch) : undefined;
      if (before !== undefined) before.taken += records.length;
      else this.#p.settle({ taken: records.length, ...from });
      return undefined;
    }
    return { encoded, count: good.length, taken: records.length, held: 0, attempts: 0, ...from };
  }

  #encodeFailed(error: unknown): void {
    const wrapped = TelemetryError.from(error, "internal");
    this.#p.acc.failed(`encode failed: ${wrapped.message}`, wrapped.code, this.#o.now());
    this.#p.diagnose("encode_error", `encode failed: ${wrapped.message}`);
  }

  /**
   * An `ok` whose receiver rejected `rejected` of the batch's `count` records (OTLP `partial_success`):
   * those are dropped as `rejected` (the rest were just counted delivered), and never resent.
   */
  #partiallyRejected(said: string | undefined, rejected: number, count: number, timeMs: number): void {
    this.#p.acc.droppedInFlight("rejected", rejected);
    const message = `receiver rejected ${rejected} of ${count} records (partial success)${said !== undefined && said !== "" ? `: ${said}` : ""}`;
    this.#p.acc.failed(message, "rejected", timeMs);
    this.#p.diagnose("partial_success", message);
  }
}
