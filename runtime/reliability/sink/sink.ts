import { TelemetryError } from "../../errors/telemetry-error.js";
import { OptionProblems } from "../../config/option-problems.js";
import type { EncodedBatch } from "../../transports/transport.js";
import { ByteBoundedQueue } from "../byte-bounded-queue.js";
import { CircuitBreaker } from "../circuit-breaker.js";
import { DeliveryAccounting, type DropReason } from "../delivery-accounting.js";
import { spoolFullMessage } from "../spool/spool-full-message.js";
import { DiskSpool } from "../spool/disk-spool.js";
import type { SpillOutcome } from "../spool/spill-backlog.js";
import { BatchLoop, type TakenRecords } from "./batch-loop.js";
import { FlushWaiters } from "./flush-waiters.js";
import { resolveSinkOptions, type ResolvedSinkOptions, type SinkOptions, type SinkTarget } from "./options.js";
import { SpoolReplay, type ReplayedSegment } from "./recovery.js";
import { SpillRefill } from "./spill-refill.js";
import type { FlushReport, ShutdownReport, SinkHealth } from "./reports.js";

/**
 * One destination's reliability layer: byte-bounded queue → batches → transport, with retries,
 * a circuit breaker and counters. See {@link createSink}.
 */
export interface Sink<R> {
  /** Name in health and diagnostics. */
  readonly name: string;
  /** The kind of receiver ({@link SinkOptions.target}). */
  readonly target: SinkTarget;
  /**
   * Hot path: queues `record` with its byte estimate, or counts it as dropped (`queue_full`,
   * `shutdown`, `breaker_open`). Never throws, never awaits, does no I/O, allocates nothing but the
   * queue slot (the ring doubles now and then).
   */
  enqueue(record: R, bytes: number): void;
  /** Counts `count` records the caller dropped before enqueueing (e.g. `invalid`): emitted and dropped both grow. Never throws. */
  countDropped(reason: DropReason, count?: number): void;
  /** True while the sink holds its records back (a retry delay, an open breaker: queued records wait long) and has room for more. Optional. */
  readonly holding?: boolean;
  /**
   * True while the sink sends as it should (no retry delay, no open breaker) and its queue is at most half
   * full: a record queued now leaves within a batch or two and is not refused. Optional.
   */
  readonly flowing?: boolean;
  /**
   * Tells the sink an outside check (the periodic health checks) found its receiver healthy: an open
   * breaker sends its half-open probe now instead of waiting out its cool-down (up to 5 min). Never throws.
   */
  reportReceiverHealthy(): void;
  /**
   * Resolves when every record enqueued before the call is delivered or dropped, or at the deadline
   * (default 5000 ms). Sends a partial batch at once instead of waiting for the flush interval, but
   * honours a pending backoff delay and an open breaker. Never rejects. While pending its deadline
   * timer is ref'd, so an awaited flush keeps the process alive up to `timeoutMs`.
   */
  flush(timeoutMs?: number): Promise<FlushReport>;
  /**
   * Stops accepting records (later ones count as `shutdown`), flushes within `timeoutMs` (default
   * 5000), then drops whatever is still queued or in flight as `shutdown` (an aborted in-flight batch
   * may still have arrived), and closes the transport. Idempotent; never rejects.
   */
  shutdown(timeoutMs?: number): Promise<ShutdownReport>;
  /**
   * For a process about to end (a crash, when no asynchronous work will run any more): stops accepting
   * records (later ones count as `shutdown`), takes every record still in the memory queue, oldest
   * first, and hands them to `write`, which must write them synchronously. When it returns true they
   * are counted `delivered`, once; when it returns false or throws they go back to the queue, still
   * `queued`. Records in flight (their batch may or may not arrive), spilled or replayed from a spool
   * are not taken. Returns how many were written. Never throws.
   */
  drainSync(write: (records: readonly R[]) => boolean): number;
  /**
   * For a process about to end: with a disk spool, writes the records it has not written yet
   * synchronously, so that every record this sink still holds is on disk for the next process (they
   * stay `queued` here; the spool's `pending` drops to 0 and its `written` grows). Returns how many
   * were written; 0 without a spool. Never throws.
   */
  spoolSync(): number;
  /** A frozen snapshot of the counters and the breaker state. */
  health(): SinkHealth;
}

/** Room below the queue's bound under which {@link Sink.holding} says false: a full queue's drops should cost nothing more. */
const holdingHeadroomBytes = 1024;

/** The composition: queue and spool admission, counters, settling, flush waiters and shutdown; the loop sends. */
class ReliableSink<R> implements Sink<R> {
  readonly name: string;
  readonly target: SinkTarget;
  readonly #o: ResolvedSinkOptions<R>;
  readonly #queue: ByteBoundedQueue<R>;
  readonly #acc = new DeliveryAccounting();
  readonly #breaker: CircuitBreaker;
  readonly #abort = new AbortController();
  readonly #dropWhenOpen: boolean;
  readonly #loop: BatchLoop<R>;
  readonly #waiters = new FlushWaiters((status, pending, startedMs) => this.#flushReport(status, pending, startedMs));
  /** Records that entered the queue, ever. */
  #acceptedTotal = 0;
  /** Of those, how many were delivered or dropped (FIFO order, so a flush waits for a prefix). */
  #settledTotal = 0;
  #closing = false;
  #shutdown: Promise<ShutdownReport> | undefined;
  #internalErrors = 0;
  readonly #diagnosed = new Set<string>();
  readonly #spool: DiskSpool<R> | undefined;
  /** Replays the spool segments of an earlier process, when there is a spool. */
  readonly #replay: SpoolReplay<R> | undefined;
  /** Moves spilled records back into the queue, when there is a spool. */
  readonly #refill: SpillRefill<R> | undefined;
  /** Set at the shutdown deadline: records dropped then stay in the spool for the next process. */
  #retainSpool = false;

  /** @throws the `fs` error when the spool directory cannot be created or listed. */
  constructor(options: ResolvedSinkOptions<R>) {
    this.#o = options;
    this.name = options.name;
    this.target = options.target;
    this.#queue = new ByteBoundedQueue<R>({ maxQueueBytes: options.maxQueueBytes });
    this.#breaker = new CircuitBreaker(options.breaker);
    this.#dropWhenOpen = options.whenBreakerOpen === "drop";
    if (options.spool !== undefined) {
      this.#spool = new DiskSpool<R>(options.spool.options, options.spool.codec, {
        problem: (kind, message) => this.#diagnose(kind, message),
        lost: (count, problem) => this.#spillLost(count, problem),
        written: () => this.#refill?.maybeStart(),
      });
      this.#replay = new SpoolReplay<R>(this.#spool, this.#acc, () => this.#checkWaiters());
      this.#refill = new SpillRefill<R>(
        this.#spool,
        this.#queue,
        () => this.#loop.kick(),
        () => this.#internalErrors++,
      );
    }
    this.#loop = new BatchLoop<R>({
      options,
      queue: this.#queue,
      acc: this.#acc,
      breaker: this.#breaker,
      replay: this.#replay,
      signal: this.#abort.signal,
      closing: () => this.#closing,
      flushing: () => this.#waiters.waiting,
      settle: (batch) => this.#settleBatch(batch),
      diagnose: (kind, message) => this.#diagnose(kind, message),
      internalError: () => {
        this.#internalErrors++;
      },
    });
    if (this.#replay?.active === true) this.#loop.kick();
  }

  get holding(): boolean {
    return this.#loop.holding && this.#queue.fits(holdingHeadroomBytes);
  }

  get flowing(): boolean {
    return !this.#loop.holding && !this.#closing && this.#queue.fits(this.#queue.maxQueueBytes / 2);
  }

  enqueue(record: R, bytes: number): void {
    try {
      if (this.#closing) {
        this.#acc.droppedOnArrival("shutdown");
        return;
      }
      if (this.#dropWhenOpen && this.#breaker.state === "open") {
        this.#acc.droppedOnArrival("breaker_open");
        if (!this.#diagnosed.has("breaker_open")) this.#diagnose("breaker_open", "breaker is open; dropping new records (whenBreakerOpen: drop)");
        return;
      }
      const queue = this.#queue;
      const spool = this.#spool;
      if (spool !== undefined) {
        this.#enqueueSpooled(record, bytes, spool);
        return;
      }
      if (!queue.offer(record, bytes)) {
        this.#acc.droppedOnArrival("queue_full");
        // Checked here so that a drop (hot under overload) does not even build the message.
        if (!this.#diagnosed.has("queue_full")) this.#diagnose("queue_full", `queue is full (maxQueueBytes ${queue.maxQueueBytes}); dropping records`);
        return;
      }
      this.#accept();
      this.#loop.recordQueued();
    } catch {
      this.#internalErrors++;
    }
  }

  /**
   * With a spool: a record that fits the memory queue (and nothing is spilled) is kept in memory and
   * mirrored to disk (O(1), no I/O); otherwise it is spilled: serialized now, on disk only, read back
   * in order later. `spool.maxBytes` is then the only bound (`queue_full` past it), a record the
   * memory queue could never hold is refused, and a serializer failure drops it as `spool_error`.
   */
  #enqueueSpooled(record: R, bytes: number, spool: DiskSpool<R>): void {
    const queue = this.#queue;
    let outcome: SpillOutcome | "refused" = "refused";
    if (!spool.spilling && queue.fits(bytes)) {
      if (spool.admit(record, bytes)) {
        queue.offer(record, bytes);
        this.#accept();
        this.#loop.recordQueued();
        return;
      }
    } else if (bytes <= queue.maxQueueBytes) {
      outcome = spool.spill(record, bytes);
      if (outcome === "spilled") {
        this.#accept();
        return;
      }
    }
    const reason = outcome === "serialize_error" ? "spool_error" : "queue_full";
    this.#acc.droppedOnArrival(reason);
    if (!this.#diagnosed.has(reason)) this.#diagnose(reason, spoolFullMessage(queue, spool, bytes, outcome));
  }

  #accept(): void {
    this.#acc.accepted();
    this.#acceptedTotal++;
  }

  /** Spilled records the spool could not write or read back: dropped as `spool_error` (already counted at shutdown). */
  #spillLost(count: number, problem: string): void {
    if (this.#retainSpool) return;
    this.#acc.droppedQueued("spool_error", count);
    this.#acc.failed(problem, "unavailable", this.#o.now());
    this.#diagnose("spool_error", `${problem}; dropped as spool_error`);
    this.#settle(count);
  }

  reportReceiverHealthy(): void {
    if (this.#breaker.state !== "open" || this.#loop.stopped) return;
    this.#breaker.expireCooldown();
    this.#loop.wake();
  }

  countDropped(reason: DropReason, count = 1): void {
    if (Number.isSafeInteger(count) && count > 0) this.#acc.droppedOnArrival(reason, count);
  }

  flush(timeoutMs?: number): Promise<FlushReport> {
    const startedMs = this.#o.now();
    const target = this.#acceptedTotal;
    const recovery = this.#recovering();
    if (this.#settledTotal >= target && !recovery) return Promise.resolve(this.#flushReport("complete", 0, startedMs));
    const pending = (): number => Math.max(0, target - this.#settledTotal) + (this.#replay?.unsettled ?? 0);
    const done = this.#waiters.wait(target, recovery, startedMs, timeoutMs, pending);
    this.#loop.kick();
    this.#refill?.maybeStart();
    return done;
  }

  shutdown(timeoutMs?: number): Promise<ShutdownReport> {
    this.#shutdown ??= this.#doShutdown(timeoutMs);
    return this.#shutdown;
  }

  drainSync(write: (records: readonly R[]) => boolean): number {
    this.#closing = true;
    const records: R[] = [];
    const sizes: number[] = [];
    try {
      while (this.#queue.length > 0) {
        sizes.push(this.#queue.peekBytes());
        records.push(this.#queue.poll() as R);
      }
      if (records.length === 0) return 0;
      let written = false;
      try {
        written = write(records);
      } catch {
        written = false;
      }
      if (!written) {
        for (let i = 0; i < records.length; i++) this.#queue.push(records[i] as R, sizes[i] ?? 0);
        return 0;
      }
      // Settled only when they are the oldest unsettled records (nothing in flight or replayed before them).
      const oldest = this.#acc.inFlight === 0 && !this.#recovering();
      this.#acc.startedSending(records.length);
      this.#acc.delivered(records.length, this.#o.now(), 0);
      if (oldest) this.#settle(records.length);
      return records.length;
    } catch {
      this.#internalErrors++;
      return 0;
    }
  }

  spoolSync(): number {
    return this.#spool?.writePendingSync() ?? 0;
  }

  health(): SinkHealth {
    return Object.freeze({
      ...this.#acc.snapshot(),
      name: this.name,
      target: this.target,
      breakerState: this.#breaker.state,
      queuedBytes: this.#queue.bytes + this.#queue.heldBytes,
      maxQueueBytes: this.#queue.maxQueueBytes,
      closed: this.#closing,
      internalErrors: this.#internalErrors + this.#breaker.listenerErrors,
      ...(this.#spool === undefined ? {} : { spool: this.#spool.health() }),
    });
  }

  async #doShutdown(timeoutMs: number | undefined): Promise<ShutdownReport> {
    const startedMs = this.#o.now();
    this.#closing = true;
    let status: ShutdownReport["status"] = "timeout";
    let dropped = 0;
    try {
      status = (await this.flush(timeoutMs)).status;
      const held = this.#loop.stop();
      this.#retainSpool = true; // what is dropped from here on stays in the spool
      for (const batch of held) {
        this.#acc.droppedInFlight("shutdown", batch.count);
        dropped += batch.count;
        this.#settleBatch(batch);
      }
      this.#refill?.stop();
      const left = (this.#replay?.stop() ?? 0) + (this.#spool?.spilled ?? 0);
      if (left > 0) this.#acc.droppedQueued("shutdown", left);
      dropped += left;
      const queued = this.#queue.clear();
      if (queued > 0) {
        this.#acc.droppedQueued("shutdown", queued);
        dropped += queued;
        this.#settle(queued);
      }
      this.#abort.abort(new TelemetryError("sink shut down", "shutdown"));
      await this.#spool?.close();
      await this.#o.transport.close();
    } catch {
      this.#internalErrors++;
    }
    return Object.freeze({ status, droppedAtShutdown: dropped, elapsedMs: this.#o.now() - startedMs, health: this.health() });
  }

  /** True while records of an earlier process's spool segments are left to load, send or settle. */
  #recovering(): boolean {
    return this.#replay?.active ?? false;
  }

  /** Counts a batch's records as settled: in the replayed segment they came from, or in this process's FIFO. */
  #settleBatch(batch: TakenRecords): void {
    const recovery = batch.recovery as ReplayedSegment<R> | undefined;
    if (recovery === undefined) this.#settle(batch.taken);
    else this.#replay?.settle(recovery, batch.taken, this.#retainSpool);
  }

  #settle(count: number): void {
    this.#settledTotal += count;
    if (!this.#retainSpool) this.#spool?.settle(this.#settledTotal);
    this.#checkWaiters();
    this.#refill?.maybeStart();
  }

  #checkWaiters(): void {
    this.#waiters.check(this.#settledTotal, this.#recovering());
  }

  #flushReport(status: FlushReport["status"], pendingRecords: number, startedMs: number): FlushReport {
    return Object.freeze({ status, pendingRecords, elapsedMs: this.#o.now() - startedMs, health: this.health() });
  }

  /** Rate-limited diagnostic: the first occurrence of each kind only (like OTel's first-drop log). */
  #diagnose(kind: string, message: string): void {
    if (this.#diagnosed.has(kind)) return;
    this.#diagnosed.add(kind);
    const listener = this.#o.onDiagnostic;
    if (!listener) return;
    try {
      listener(`[${this.name}] ${message}`);
    } catch {
      this.#internalErrors++;
    }
  }
}

/**
 * Creates a sink: the reliability layer we put around every transport.
 *
 * - `enqueue` puts records in a byte-bounded FIFO ({@link SinkOptions.maxQueueBytes}); when it is
 *   full they are dropped and counted as `queue_full`.
 * - A background loop takes batches of up to `maxBatchRecords` / `maxBatchBytes`, as soon as a batch
 *   is full or `flushIntervalMs` after the first record arrived at an idle sink, encodes them with
 *   `encode` and sends one batch at a time (so records leave in order).
 * - `ok`: delivered — except the records an OTLP receiver rejected in its `partial_success`, which
 *   are dropped as `rejected` (never resent), so `emitted = delivered + dropped + …` still holds.
 *   `retryable`: the SAME encoded batch is resent after a full-jitter backoff delay
 *   (or the server's `retryAfterMs`), as often as needed: at-least-once, every resend counted in
 *   `resent`. `failed`: the batch is dropped as `rejected`. Both failures feed the circuit breaker.
 * - While the breaker is open the sink does no I/O at all: the batch in flight waits for the half-open
 *   probe, and new records are buffered (default) or dropped as `breaker_open`; see {@link WhenBreakerOpen}.
 * - Every record is in exactly one bucket: `emitted = delivered + Σdropped + queued + inFlight`
 *   after every synchronous step (see {@link Sink.health}).
 * - Background timers are unref'd: an idle or retrying sink never keeps the process alive.
 * - With {@link SinkOptions.spool}, accepted records are also written to disk and survive a crash;
 *   see there and `DiskSpool`.
 *
 * @throws TelemetryError `config_invalid` from {@link resolveSinkOptions}, or naming `spool.dir` when
 *   the spool directory cannot be created or read; nothing after construction throws or rejects.
 */
export function createSink<R, B extends EncodedBatch = EncodedBatch>(options: SinkOptions<R, B>): Sink<R> {
  const resolved = resolveSinkOptions(options);
  try {
    return new ReliableSink(resolved);
  } catch (error: unknown) {
    const problems = new OptionProblems("sink");
    const reason = error instanceof Error ? error.message : String(error);
    problems.add("spool.dir", resolved.spool?.options.dir, `a directory the process can create and write (${reason})`, '"/var/spool/telemetry"');
    throw problems.toError(error);
  }
}
