import { TelemetryError } from "../errors/telemetry-error.js";
import type { EncodedBatch, SendResult, Transport } from "../transports/transport.js";
import { TransportError } from "../transports/transport-error.js";
import { Backoff, resolveBackoffOptions, type BackoffOptions } from "./backoff.js";
import { byteBoundedQueueDefaults, ByteBoundedQueue } from "./byte-bounded-queue.js";
import { CircuitBreaker, resolveCircuitBreakerOptions, type BreakerState, type CircuitBreakerOptions } from "./circuit-breaker.js";
import { DeliveryAccounting, type DeliverySnapshot, type DropReason } from "./delivery-accounting.js";
import { maxTimerMs, OptionProblems } from "../config/option-problems.js";
import { DiskSpool, type RecoveredSegment, type SpoolCodec, type SpoolHealth } from "./spool/disk-spool.js";
import { resolveSpoolOptions, type ResolvedSpoolOptions, type SpoolOptions } from "./spool/spool-options.js";

/**
 * What a sink does with new records while its circuit breaker is `open`:
 * - `buffer` (default): keep queueing them while the byte bound has room, drop the rest as
 *   `queue_full`. A collector restart or a short outage then loses nothing, and the cost per call is
 *   the same as when closed (one queue push, no I/O). Memory is bounded by `maxQueueBytes` either way.
 * - `drop`: count them as `breaker_open` at once (records queued before it opened stay queued). For
 *   callers who prefer fresh data after an outage over the oldest data.
 */
export type WhenBreakerOpen = "buffer" | "drop";

/** Options of {@link createSink}. Only `transport` and `encode` are required; see {@link sinkDefaults}. */
export interface SinkOptions<R> {
  /** Where batches go. Its `close()` is called by {@link Sink.shutdown}. */
  transport: Transport;
  /**
   * Encodes a batch of records for the transport (e.g. msgpack forward entries). Called off the hot
   * path, once per batch; the result is reused for every resend. If it throws, the records it cannot
   * encode are dropped as `encode_error` (the sink retries them one by one to keep the good ones).
   */
  encode: (records: R[]) => EncodedBatch;
  /** Name in health and diagnostics. Default `transport.name`. */
  name?: string;
  /** Bound on the byte estimates of the queued records. Default 32 MiB. */
  maxQueueBytes?: number;
  /** Most records per batch; a full batch is sent without waiting for the flush interval. Default 512. */
  maxBatchRecords?: number;
  /** Most estimated bytes per batch (a single larger record goes alone). Default 1 MiB. */
  maxBatchBytes?: number;
  /** Longest a record waits for more records to join its batch when the sink is idle, in ms. Default 200. */
  flushIntervalMs?: number;
  /** What happens to new records while the breaker is open. Default `buffer`; see {@link WhenBreakerOpen}. */
  whenBreakerOpen?: WhenBreakerOpen;
  /** Retry delays after `retryable` outcomes. Defaults: 100 ms × 2 up to 30 s, full jitter. */
  backoff?: BackoffOptions;
  /** The sink's circuit breaker. Defaults: 5 failures, 10 s cool-down doubling up to 5 min. `now` defaults to the sink's. */
  breaker?: CircuitBreakerOptions;
  /**
   * Receives rate-limited diagnostics (the first drop of each reason, the first encode error). Never
   * routed through a sink. Errors it throws are caught and counted. Default: none.
   */
  onDiagnostic?: (message: string) => void;
  /** Clock in ms since the epoch, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Optional disk spool (write-ahead log) so that accepted records survive a crash or restart of the
   * process; needs `serialize` and `deserialize`. Default: none (memory only). With it:
   * - a record is accepted only if it fits both the memory queue and `spool.maxBytes`, else it is
   *   dropped as `queue_full`; `enqueue` stays O(1) and does no I/O (see {@link DiskSpool.admit});
   * - it is appended to the spool in the write turn after `enqueue` (`health().spool.written`:
   *   survives `kill -9`) and fdatasync'd as `spool.fsync` says (`spool.synced`: survives power loss);
   * - segments are deleted once all their records were delivered or dropped — except records dropped
   *   as `shutdown`, which stay on disk for the next process;
   * - at start, records left by an earlier process are read back and sent before new ones
   *   (at-least-once: they may have arrived before the crash), counted in `resent` and `spool.recovered`,
   *   and in `emitted` when read back; corrupt frames are skipped and counted (`spool.corrupt`).
   */
  spool?: SpoolOptions;
  /** Record → bytes for the spool, run in the write turn after `enqueue`. Required with `spool`. */
  serialize?: (record: R) => Uint8Array;
  /** Bytes → record, for records read back from the spool. Required with `spool`. */
  deserialize?: (bytes: Uint8Array) => R;
}

/**
 * Defaults of {@link SinkOptions}: batches of up to 512 records (OTel's BatchSpanProcessor size) or
 * 1 MiB (well under Fluent Bit's 6 MB forward buffer and Fluentd's defaults), sent after at most
 * 200 ms of idling (low enough for `tail -f` feel, high enough to batch a burst), buffering while the
 * breaker is open, 5 s for `flush`/`shutdown` when no timeout is given.
 */
export const sinkDefaults = Object.freeze({
  maxQueueBytes: byteBoundedQueueDefaults.maxQueueBytes,
  maxBatchRecords: 512,
  maxBatchBytes: 1024 * 1024,
  flushIntervalMs: 200,
  whenBreakerOpen: "buffer",
  flushTimeoutMs: 5000,
} as const);

/** {@link SinkOptions} after defaults are applied and checked. */
export interface ResolvedSinkOptions<R> {
  readonly transport: Transport;
  readonly encode: (records: R[]) => EncodedBatch;
  readonly name: string;
  readonly maxQueueBytes: number;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly flushIntervalMs: number;
  readonly whenBreakerOpen: WhenBreakerOpen;
  readonly backoff: BackoffOptions;
  readonly breaker: CircuitBreakerOptions;
  readonly onDiagnostic: ((message: string) => void) | undefined;
  readonly now: () => number;
  /** The spool's options and codec, or `undefined` without a spool. */
  readonly spool: { readonly options: ResolvedSpoolOptions; readonly codec: SpoolCodec<R> } | undefined;
}

const knownKeys = [
  "transport", "encode", "name", "maxQueueBytes", "maxBatchRecords", "maxBatchBytes", "flushIntervalMs",
  "whenBreakerOpen", "backoff", "breaker", "onDiagnostic", "now", "spool", "serialize", "deserialize",
] as const;

/**
 * Checks options (including the nested `backoff` and `breaker`) and applies {@link sinkDefaults}.
 * The sink reads no environment variables.
 * @throws TelemetryError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveSinkOptions<R>(options: SinkOptions<R>): ResolvedSinkOptions<R> {
  const problems = new OptionProblems("sink");
  problems.unknownKeys(options ?? {}, knownKeys);
  const transport = options?.transport;
  if (typeof transport !== "object" || transport === null || typeof transport.send !== "function" || typeof transport.close !== "function") {
    problems.add("transport", typeof transport, "a Transport", "createForwardTransport()");
  }
  if (typeof options?.encode !== "function") problems.add("encode", typeof options?.encode, "a function (records) => EncodedBatch");
  const name = options?.name ?? (typeof transport?.name === "string" ? transport.name : "sink");
  if (typeof name !== "string" || name === "") problems.add("name", name, 'a non-empty string', '"fluentd"');
  const maxQueueBytes = options?.maxQueueBytes ?? sinkDefaults.maxQueueBytes;
  const maxBatchRecords = options?.maxBatchRecords ?? sinkDefaults.maxBatchRecords;
  const maxBatchBytes = options?.maxBatchBytes ?? sinkDefaults.maxBatchBytes;
  const flushIntervalMs = options?.flushIntervalMs ?? sinkDefaults.flushIntervalMs;
  const whenBreakerOpen = options?.whenBreakerOpen ?? sinkDefaults.whenBreakerOpen;
  problems.integer("maxQueueBytes", maxQueueBytes, 1, Number.MAX_SAFE_INTEGER, "33554432");
  problems.integer("maxBatchRecords", maxBatchRecords, 1, 1_000_000, "512");
  problems.integer("maxBatchBytes", maxBatchBytes, 1, Number.MAX_SAFE_INTEGER, "1048576");
  problems.integer("flushIntervalMs", flushIntervalMs, 0, maxTimerMs, "200");
  problems.oneOf("whenBreakerOpen", whenBreakerOpen, ["buffer", "drop"] as const);
  problems.func("onDiagnostic", options?.onDiagnostic);
  problems.func("now", options?.now);
  const now = options?.now ?? Date.now;
  const backoff = options?.backoff ?? {};
  const breaker = { now, ...options?.breaker };
  for (const [key, check] of [["backoff", () => resolveBackoffOptions(backoff)], ["breaker", () => resolveCircuitBreakerOptions(breaker)]] as const) {
    try {
      check();
    } catch (error: unknown) {
      problems.add(key, "{…}", error instanceof Error ? error.message : String(error));
    }
  }
  let spool: ResolvedSinkOptions<R>["spool"];
  if (options?.spool !== undefined) {
    try {
      const spoolOptions = resolveSpoolOptions(options.spool, typeof maxBatchRecords === "number" ? maxBatchRecords : sinkDefaults.maxBatchRecords);
      const { serialize, deserialize } = options;
      if (typeof serialize !== "function") problems.add("serialize", typeof serialize, "a function (record) => Uint8Array, required with spool");
      if (typeof deserialize !== "function") problems.add("deserialize", typeof deserialize, "a function (bytes) => record, required with spool");
      if (typeof serialize === "function" && typeof deserialize === "function") spool = { options: spoolOptions, codec: { serialize, deserialize } };
    } catch (error: unknown) {
      problems.add("spool", "{…}", error instanceof Error ? error.message : String(error));
    }
  } else {
    problems.func("serialize", options?.serialize);
    problems.func("deserialize", options?.deserialize);
  }
  problems.throwIfAny();
  return Object.freeze({
    transport: transport as Transport, encode: options.encode, name, maxQueueBytes, maxBatchRecords, maxBatchBytes,
    flushIntervalMs, whenBreakerOpen, backoff, breaker, onDiagnostic: options.onDiagnostic, now, spool,
  });
}

/** {@link DeliverySnapshot} plus the sink's own state, frozen. */
export interface SinkHealth extends DeliverySnapshot {
  /** The sink's name ({@link SinkOptions.name}). */
  readonly name: string;
  /** The circuit breaker's state; `open` means the sink does no I/O until the next probe. */
  readonly breakerState: BreakerState;
  /** Sum of the byte estimates of the queued records and of the batches encoded ahead of sending (both count toward the bound). */
  readonly queuedBytes: number;
  /** The queue's bound, in bytes of estimates. */
  readonly maxQueueBytes: number;
  /** True once {@link Sink.shutdown} was called. */
  readonly closed: boolean;
  /** Bugs caught inside the sink (listener or transport throwing, loop errors); should stay 0. */
  readonly internalErrors: number;
  /** The disk spool's counters; present only when {@link SinkOptions.spool} is set. */
  readonly spool?: SpoolHealth;
}

/**
 * Outcome of {@link Sink.flush}: `complete` when every record enqueued before the call was delivered
 * or dropped, `timeout` when the deadline came first (`pendingRecords` of them still queued or in flight).
 */
export interface FlushReport {
  readonly status: "complete" | "timeout";
  readonly pendingRecords: number;
  readonly elapsedMs: number;
  readonly health: SinkHealth;
}

/** Outcome of {@link Sink.shutdown}: the flush status and how many records were dropped as `shutdown` at its deadline. */
export interface ShutdownReport {
  readonly status: "complete" | "timeout";
  readonly droppedAtShutdown: number;
  readonly elapsedMs: number;
  readonly health: SinkHealth;
}

/**
 * One destination's reliability layer: byte-bounded queue → batches → transport, with retries,
 * a circuit breaker and counters. See {@link createSink}.
 */
export interface Sink<R> {
  /** Name in health and diagnostics. */
  readonly name: string;
  /**
   * Hot path: queues `record` with its byte estimate, or counts it as dropped (`queue_full`,
   * `shutdown`, `breaker_open`). Never throws, never awaits, does no I/O, allocates nothing but the
   * queue slot (the ring doubles now and then).
   */
  enqueue(record: R, bytes: number): void;
  /** Counts `count` records the caller dropped before enqueueing (e.g. `invalid`): emitted and dropped both grow. Never throws. */
  countDropped(reason: DropReason, count?: number): void;
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
  /** A frozen snapshot of the counters and the breaker state. */
  health(): SinkHealth;
}

type LoopState = "idle" | "scheduled" | "running" | "waiting";

interface InFlightBatch {
  readonly encoded: EncodedBatch;
  /** Records in `encoded` (in flight). */
  readonly count: number;
  /**
   * Records taken from the queue for this batch, including any dropped as `encode_error`, and those of
   * an ahead batch after it that could not be encoded at all: settled together, so settling stays FIFO.
   */
  taken: number;
  /** Byte estimates of the records, held in the queue's bound while the batch waits, encoded ahead. */
  held: number;
  attempts: number;
  /** Set when the records come from a spool segment of an earlier process. */
  readonly recovery?: Recovery<unknown>;
}

/** Records read back from one spool segment, handed out to batches before any new record. */
interface Recovery<R> {
  readonly segment: RecoveredSegment<R>;
  /** Index of the next record to batch. */
  next: number;
  /** Records not settled yet (queued or in flight). */
  unsettled: number;
}

interface FlushWaiter {
  readonly target: number;
  /** Also wait until every record recovered from the spool is settled. */
  readonly recovery: boolean;
  readonly startedMs: number;
  readonly resolve: (report: FlushReport) => void;
  timer: NodeJS.Timeout | undefined;
}

function clampTimeoutMs(value: unknown): number {
  if (value === undefined) return sinkDefaults.flushTimeoutMs;
  return typeof value === "number" && value > 0 ? Math.min(Math.ceil(value), maxTimerMs) : 0;
}

class ReliableSink<R> implements Sink<R> {
  readonly name: string;
  readonly #o: ResolvedSinkOptions<R>;
  readonly #queue: ByteBoundedQueue<R>;
  readonly #acc = new DeliveryAccounting();
  readonly #breaker: CircuitBreaker;
  readonly #backoff: Backoff;
  readonly #abort = new AbortController();
  readonly #dropWhenOpen: boolean;
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
      this.#internalErrors++;
    }
  };
  #aheadScheduled = false;
  #state: LoopState = "idle";
  #lingerTimer: NodeJS.Timeout | undefined;
  #lingerArmed = false;
  #waitTimer: NodeJS.Timeout | undefined;
  #batch: InFlightBatch | undefined;
  /** The next batches, taken from the queue and encoded while `#batch` was being sent (see {@link #encodeAhead}), oldest first. */
  #ahead: InFlightBatch[] = [];
  /** Records that entered the queue, ever. */
  #acceptedTotal = 0;
  /** Of those, how many were delivered or dropped (FIFO order, so a flush waits for a prefix). */
  #settledTotal = 0;
  #waiters: FlushWaiter[] = [];
  #closing = false;
  #stopped = false;
  #shutdown: Promise<ShutdownReport> | undefined;
  #internalErrors = 0;
  readonly #diagnosed = new Set<string>();
  readonly #spool: DiskSpool<R> | undefined;
  /** The spool segment of an earlier process being resent, if any. */
  #recovery: Recovery<R> | undefined;
  /** Set at the shutdown deadline: records dropped then stay in the spool for the next process. */
  #retainSpool = false;

  /** @throws the `fs` error when the spool directory cannot be created or listed. */
  constructor(options: ResolvedSinkOptions<R>) {
    this.#o = options;
    this.name = options.name;
    this.#queue = new ByteBoundedQueue<R>({ maxQueueBytes: options.maxQueueBytes });
    this.#breaker = new CircuitBreaker(options.breaker);
    this.#backoff = new Backoff(options.backoff);
    this.#dropWhenOpen = options.whenBreakerOpen === "drop";
    this.#maxBatchRecords = options.maxBatchRecords;
    this.#maxBatchBytes = options.maxBatchBytes;
    if (options.spool !== undefined) {
      this.#spool = new DiskSpool<R>(options.spool.options, options.spool.codec, (kind, message) => this.#diagnose(kind, message));
      if (this.#spool.recoverableSegments > 0) this.#schedule();
    }
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
      // With a spool the record must fit both bounds; the memory check comes first so that a record
      // the queue would refuse never reaches the spool. Both are O(1), neither does I/O.
      if (spool !== undefined && (queue.bytes + queue.heldBytes + (bytes > 0 ? bytes : 0) > queue.maxQueueBytes || !spool.admit(record, bytes))) {
        this.#acc.droppedOnArrival("queue_full");
        if (!this.#diagnosed.has("queue_full")) this.#diagnose("queue_full", `queue or spool is full (maxQueueBytes ${queue.maxQueueBytes}); dropping records`);
        return;
      }
      if (!queue.offer(record, bytes)) {
        this.#acc.droppedOnArrival("queue_full");
        // Checked here so that a drop (hot under overload) does not even build the message.
        if (!this.#diagnosed.has("queue_full")) this.#diagnose("queue_full", `queue is full (maxQueueBytes ${queue.maxQueueBytes}); dropping records`);
        return;
      }
      this.#acc.accepted();
      this.#acceptedTotal++;
      if (this.#state === "idle") {
        if (queue.length >= this.#maxBatchRecords || queue.bytes >= this.#maxBatchBytes) this.#schedule();
        else if (!this.#lingerArmed) this.#armLinger();
      } else if (this.#state === "running" && !this.#aheadScheduled && (queue.length >= this.#maxBatchRecords || queue.bytes >= this.#maxBatchBytes)) {
        this.#aheadScheduled = true;
        setImmediate(this.#runAhead);
      }
    } catch {
      this.#internalErrors++;
    }
  }

  reportReceiverHealthy(): void {
    if (this.#breaker.state !== "open" || this.#stopped) return;
    this.#breaker.expireCooldown();
    if (this.#state === "waiting") {
      clearTimeout(this.#waitTimer);
      this.#schedule();
    }
  }

  countDropped(reason: DropReason, count = 1): void {
    if (Number.isSafeInteger(count) && count > 0) this.#acc.droppedOnArrival(reason, count);
  }

  flush(timeoutMs?: number): Promise<FlushReport> {
    const startedMs = this.#o.now();
    const target = this.#acceptedTotal;
    const recovery = this.#recovering();
    if (this.#settledTotal >= target && !recovery) return Promise.resolve(this.#flushReport("complete", 0, startedMs));
    return new Promise<FlushReport>((resolve) => {
      const waiter: FlushWaiter = { target, recovery, startedMs, resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(this.#flushReport("timeout", Math.max(0, target - this.#settledTotal) + (this.#recovery?.unsettled ?? 0), startedMs));
      }, clampTimeoutMs(timeoutMs));
      this.#waiters.push(waiter);
      if (this.#state === "idle" && !this.#stopped) this.#schedule();
    });
  }

  shutdown(timeoutMs?: number): Promise<ShutdownReport> {
    this.#shutdown ??= this.#doShutdown(timeoutMs);
    return this.#shutdown;
  }

  health(): SinkHealth {
    return Object.freeze({
      ...this.#acc.snapshot(),
      name: this.name,
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
      this.#stopped = true;
      clearTimeout(this.#lingerTimer);
      clearTimeout(this.#waitTimer);
      if (this.#state === "waiting" || this.#state === "scheduled") this.#state = "idle";
      this.#retainSpool = true; // what is dropped from here on stays in the spool
      const batch = this.#batch;
      if (batch) {
        this.#batch = undefined;
        this.#acc.droppedInFlight("shutdown", batch.count);
        dropped += batch.count;
        this.#settleBatch(batch);
      }
      for (const ahead of this.#ahead.splice(0)) {
        this.#queue.release(ahead.held);
        ahead.held = 0;
        this.#acc.droppedInFlight("shutdown", ahead.count);
        dropped += ahead.count;
        this.#settleBatch(ahead);
      }
      const recovery = this.#recovery;
      if (recovery !== undefined) {
        const left = recovery.segment.records.length - recovery.next;
        this.#recovery = undefined;
        if (left > 0) this.#acc.droppedQueued("shutdown", left);
        dropped += left;
      }
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

  #hasWork(): boolean {
    return this.#queue.length > 0 || this.#batch !== undefined || this.#ahead.length > 0 || this.#recovering();
  }

  /** True while records of an earlier process's spool segments are left to load, send or settle. */
  #recovering(): boolean {
    return this.#recovery !== undefined || (this.#spool?.recoverableSegments ?? 0) > 0;
  }

  /** Reads the next spool segment of an earlier process; its records count as emitted and queued (and resent). */
  async #loadRecovery(spool: DiskSpool<R>): Promise<void> {
    const segment = await spool.loadNext();
    if (segment === undefined || this.#stopped) return;
    const count = segment.records.length;
    if (count === 0) {
      spool.releaseRecovered(segment);
      this.#checkWaiters();
      return;
    }
    for (let i = 0; i < count; i++) this.#acc.accepted();
    this.#acc.resending(count);
    this.#recovery = { segment, next: 0, unsettled: count };
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
    try {
      while (!this.#stopped) {
        const spool = this.#spool;
        if (this.#batch === undefined && this.#recovery === undefined && spool !== undefined && spool.recoverableSegments > 0) {
          await this.#loadRecovery(spool); // records of an earlier process go first
          continue;
        }
        const batch = this.#batch ?? this.#nextBatch();
        if (batch === undefined) {
          if (!this.#hasWork()) break;
          continue; // the records were dropped as encode_error
        }
        if (!this.#breaker.tryAcquire()) {
          this.#wait(this.#breaker.remainingCooldownMs());
          return;
        }
        if (batch.attempts > 0) this.#acc.resending(batch.count);
        batch.attempts++;
        const startedMs = this.#o.now();
        const sending = this.#send(batch.encoded);
        this.#encodeAhead();
        const result = await sending;
        if (batch !== this.#batch) continue; // dropped as `shutdown` at the deadline meanwhile
        const doneMs = this.#o.now();
        if (result.status === "ok") {
          this.#breaker.recordSuccess();
          this.#backoff.reset();
          this.#batch = undefined;
          const rejected = rejectedOf(result, batch.count);
          this.#acc.delivered(batch.count - rejected, doneMs, doneMs - startedMs);
          if (rejected > 0) this.#partiallyRejected(result, rejected, batch.count, doneMs);
          this.#settleBatch(batch);
        } else if (result.status === "failed") {
          this.#breaker.recordFailure();
          this.#acc.failed(result.error.message, result.error.code, doneMs);
          const reason: DropReason = this.#closing && result.error.code === "shutdown" ? "shutdown" : "rejected";
          this.#batch = undefined;
          this.#acc.droppedInFlight(reason, batch.count);
          this.#diagnose(reason, `batch of ${batch.count} dropped: ${result.error.message}`);
          this.#settleBatch(batch);
        } else {
          this.#breaker.recordFailure();
          this.#acc.failed(result.error.message, result.error.code, doneMs);
          this.#wait(this.#backoff.nextDelayMs(result.retryAfterMs));
          return;
        }
      }
    } catch {
      this.#internalErrors++;
    }
    this.#state = "idle";
    if (this.#hasWork() && !this.#stopped && !this.#lingerArmed) this.#armLinger();
  }

  async #send(encoded: EncodedBatch): Promise<SendResult> {
    try {
      return await this.#o.transport.send(encoded, this.#abort.signal);
    } catch (error: unknown) {
      this.#internalErrors++;
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
    const recovery = this.#recovery;
    if (recovery !== undefined && recovery.next < recovery.segment.records.length) return this.#nextRecoveredBatch(recovery);
    const batch = this.#takeBatch(false);
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
    while (queue.length >= this.#maxBatchRecords || queue.bytes >= this.#maxBatchBytes) this.#takeBatch(true);
  }

  /**
   * Moves up to one batch from the queue to in flight and encodes it; undefined if the queue is
   * empty or no record could be encoded. `ahead`: the batch is queued in `#ahead`, behind the one
   * being sent, its estimates held in the queue's bound.
   */
  #takeBatch(ahead: boolean): InFlightBatch | undefined {
    const queue = this.#queue;
    if (queue.length === 0) return undefined;
    const records: R[] = [];
    let bytes = 0;
    while (queue.length > 0 && records.length < this.#maxBatchRecords) {
      const next = queue.peekBytes();
      if (records.length > 0 && bytes + next > this.#maxBatchBytes) break;
      bytes += next;
      records.push(queue.poll() as R);
    }
    this.#acc.startedSending(records.length);
    const batch = this.#encode(records, undefined, ahead);
    if (ahead) {
      if (batch === undefined) return undefined;
      queue.hold(bytes);
      batch.held = bytes;
      this.#ahead.push(batch);
    }
    return batch;
  }

  #nextRecoveredBatch(recovery: Recovery<R>): InFlightBatch | undefined {
    const { records: source, sizes } = recovery.segment;
    const records: R[] = [];
    let bytes = 0;
    while (recovery.next < source.length && records.length < this.#maxBatchRecords) {
      const next = sizes[recovery.next] ?? 0;
      if (records.length > 0 && bytes + next > this.#maxBatchBytes) break;
      bytes += next;
      records.push(source[recovery.next] as R);
      recovery.next++;
    }
    this.#acc.startedSending(records.length);
    const batch = this.#encode(records, recovery);
    this.#batch = batch;
    return batch;
  }

  /**
   * Encodes `records` (all in flight); drops the ones that cannot be encoded as `encode_error`.
   * `ahead`: when none can be, they are settled with the batch before them, not before it.
   */
  #encode(records: R[], recovery?: Recovery<R>, ahead = false): InFlightBatch | undefined {
    const from = recovery === undefined ? {} : { recovery: recovery as Recovery<unknown> };
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
    this.#acc.droppedInFlight("encode_error", records.length - good.length);
    let encoded: EncodedBatch | undefined;
    try {
      if (good.length > 0) encoded = this.#o.encode(good);
    } catch (error: unknown) {
      this.#encodeFailed(error);
    }
    if (encoded === undefined) {
      this.#acc.droppedInFlight("encode_error", good.length);
      const before = ahead ? (this.#ahead.at(-1) ?? this.#batch) : undefined;
      if (before !== undefined) before.taken += records.length;
      else this.#settleBatch({ taken: records.length, ...from });
      return undefined;
    }
    return { encoded, count: good.length, taken: records.length, held: 0, attempts: 0, ...from };
  }

  #encodeFailed(error: unknown): void {
    const wrapped = TelemetryError.from(error, "internal");
    this.#acc.failed(`encode failed: ${wrapped.message}`, wrapped.code, this.#o.now());
    this.#diagnose("encode_error", `encode failed: ${wrapped.message}`);
  }

  /** Counts a batch's records as settled: in the recovered segment they came from, or in this process's FIFO. */
  #settleBatch(batch: { readonly taken: number; readonly recovery?: Recovery<unknown> }): void {
    const recovery = batch.recovery as Recovery<R> | undefined;
    if (recovery === undefined) {
      this.#settle(batch.taken);
      return;
    }
    recovery.unsettled -= batch.taken;
    if (recovery.unsettled > 0 || this.#retainSpool) return;
    this.#spool?.releaseRecovered(recovery.segment);
    if (this.#recovery === recovery) this.#recovery = undefined;
    this.#checkWaiters();
  }

  #settle(count: number): void {
    this.#settledTotal += count;
    if (!this.#retainSpool) this.#spool?.settle(this.#settledTotal);
    this.#checkWaiters();
  }

  #checkWaiters(): void {
    if (this.#waiters.length === 0) return;
    const recovering = this.#recovering();
    const isDone = (w: FlushWaiter): boolean => w.target <= this.#settledTotal && !(w.recovery && recovering);
    const done = this.#waiters.filter(isDone);
    if (done.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => !isDone(w));
    for (const waiter of done) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.#flushReport("complete", 0, waiter.startedMs));
    }
  }

  #flushReport(status: FlushReport["status"], pendingRecords: number, startedMs: number): FlushReport {
    return Object.freeze({ status, pendingRecords, elapsedMs: this.#o.now() - startedMs, health: this.health() });
  }

  /**
   * An `ok` whose receiver rejected `rejected` of the batch's `count` records (OTLP `partial_success`):
   * those are dropped as `rejected` (the rest were just counted delivered), and never resent.
   */
  #partiallyRejected(result: SendResult, rejected: number, count: number, timeMs: number): void {
    this.#acc.droppedInFlight("rejected", rejected);
    const said = (result as { readonly partialSuccess?: { readonly errorMessage?: unknown } }).partialSuccess?.errorMessage;
    const message = `receiver rejected ${rejected} of ${count} records (partial success)${typeof said === "string" && said !== "" ? `: ${said}` : ""}`;
    this.#acc.failed(message, "rejected", timeMs);
    this.#diagnose("partial_success", message);
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
 * Records of a batch the receiver rejected inside an `ok`: `partialSuccess.rejected` of an OTLP
 * result (see `OtlpSendResult`), clamped to `0..count`; 0 for every other result.
 */
function rejectedOf(result: SendResult, count: number): number {
  const rejected = (result as { readonly partialSuccess?: { readonly rejected?: unknown } }).partialSuccess?.rejected;
  return typeof rejected === "number" && rejected > 0 ? Math.min(Math.floor(rejected), count) : 0;
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
export function createSink<R>(options: SinkOptions<R>): Sink<R> {
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
