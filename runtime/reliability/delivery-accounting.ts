import { scrubKnownSecrets } from "../config/known-secrets.js";
import type { TelemetryErrorCode } from "../errors/telemetry-error.js";

/**
 * Why a record was dropped. Each reason has its own counter in {@link DeliverySnapshot.dropped}:
 * - `queue_full`: the sink's byte-bounded queue had no room.
 * - `breaker_open`: refused at the door while the breaker was open (only with `whenBreakerOpen: "drop"`).
 * - `rejected`: the transport said resending will not help (`failed`: wrong key, not a receiver, 4xx).
 * - `invalid`: the caller found the record invalid and did not enqueue it (counted through the sink).
 * - `shutdown`: enqueued after shutdown, or still queued / in flight at the shutdown deadline.
 * - `encode_error`: the batch holding it could not be encoded.
 * - `spool_error`: a record spilled to the disk spool (the memory queue was full) was lost: its
 *   serializer threw, or writing or reading it back failed (disk full: ENOSPC, an I/O error, a corrupt frame).
 * - `filtered`: the caller's filter (the client's `beforeSend`) dropped it before enqueueing (counted through the sink).
 */
export type DropReason = "queue_full" | "breaker_open" | "rejected" | "invalid" | "shutdown" | "encode_error" | "spool_error" | "filtered";

/** Every {@link DropReason}, in a stable order. */
export const dropReasons: readonly DropReason[] = Object.freeze([
  "queue_full",
  "breaker_open",
  "rejected",
  "invalid",
  "shutdown",
  "encode_error",
  "spool_error",
  "filtered",
] as const);

/** The last error a sink saw. */
export interface LastError {
  readonly message: string;
  readonly code: TelemetryErrorCode;
  /** When, in ms since the epoch. */
  readonly timeMs: number;
}

/**
 * A frozen, plain copy of one sink's counters. Identity, at every moment:
 * `emitted = delivered + droppedTotal + queued + inFlight`.
 */
export interface DeliverySnapshot {
  /** Records handed to the sink (enqueued or dropped on arrival). */
  readonly emitted: number;
  /** Records whose batch the receiver acknowledged (counted once, however often resent). */
  readonly delivered: number;
  /** Drops per reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Sum of `dropped`. */
  readonly droppedTotal: number;
  /** Records waiting in the queue. */
  readonly queued: number;
  /** Records taken from the queue for sending: the batch being sent or waiting to be resent, and the next one, encoded ahead. */
  readonly inFlight: number;
  /** Records sent again after a `retryable` outcome; each may arrive twice (at-least-once). */
  readonly resent: number;
  /** The last send or encode error, if any. */
  readonly lastError: LastError | undefined;
  /** When a batch was last acknowledged, in ms since the epoch. */
  readonly lastSuccessTimeMs: number | undefined;
  /** Round trip of the last acknowledged send attempt (send to ack), in ms. */
  readonly lastLatencyMs: number | undefined;
}

/**
 * The counters of one sink. Every method moves records between buckets in one synchronous step, so
 * the identity `emitted = delivered + Σdropped + queued + inFlight` holds after each call.
 * Methods take counts as given (no checks: the sink is the only caller); they never throw.
 */
export class DeliveryAccounting {
  #emitted = 0;
  #delivered = 0;
  #queued = 0;
  #inFlight = 0;
  #resent = 0;
  readonly #dropped: Record<DropReason, number> = {
    queue_full: 0,
    breaker_open: 0,
    rejected: 0,
    invalid: 0,
    shutdown: 0,
    encode_error: 0,
    spool_error: 0,
    filtered: 0,
  };
  #lastError: LastError | undefined;
  #lastSuccessTimeMs: number | undefined;
  #lastLatencyMs: number | undefined;

  /** Records in the queue (for the sink's fast checks). */
  get queued(): number {
    return this.#queued;
  }

  /** Records in flight. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A record entered the queue: emitted +1, queued +1. */
  accepted(): void {
    this.#emitted++;
    this.#queued++;
  }

  /** `count` records were dropped before entering the queue: emitted +count, dropped[reason] +count. */
  droppedOnArrival(reason: DropReason, count = 1): void {
    this.#emitted += count;
    this.#dropped[reason] += count;
  }

  /** `count` records left the queue for a batch: queued −count, inFlight +count. */
  startedSending(count: number): void {
    this.#queued -= count;
    this.#inFlight += count;
  }

  /** `count` queued records were dropped: queued −count, dropped[reason] +count. */
  droppedQueued(reason: DropReason, count: number): void {
    this.#queued -= count;
    this.#dropped[reason] += count;
  }

  /** `count` in-flight records were acknowledged: inFlight −count, delivered +count. */
  delivered(count: number, timeMs: number, latencyMs: number): void {
    this.#inFlight -= count;
    this.#delivered += count;
    this.#lastSuccessTimeMs = timeMs;
    this.#lastLatencyMs = latencyMs;
  }

  /** `count` in-flight records were dropped: inFlight −count, dropped[reason] +count. */
  droppedInFlight(reason: DropReason, count: number): void {
    this.#inFlight -= count;
    this.#dropped[reason] += count;
  }

  /** `count` records are being sent again. */
  resending(count: number): void {
    this.#resent += count;
  }

  /** Remembers the last error, every configured secret scrubbed from its message (it is shown in health). */
  failed(message: string, code: TelemetryErrorCode, timeMs: number): void {
    this.#lastError = Object.freeze({ message: scrubKnownSecrets(message), code, timeMs });
  }

  /** A frozen plain copy of the counters. */
  snapshot(): DeliverySnapshot {
    const d = this.#dropped;
    return Object.freeze({
      emitted: this.#emitted,
      delivered: this.#delivered,
      dropped: Object.freeze({ ...d }),
      droppedTotal: d.queue_full + d.breaker_open + d.rejected + d.invalid + d.shutdown + d.encode_error + d.spool_error + d.filtered,
      queued: this.#queued,
      inFlight: this.#inFlight,
      resent: this.#resent,
      lastError: this.#lastError,
      lastSuccessTimeMs: this.#lastSuccessTimeMs,
      lastLatencyMs: this.#lastLatencyMs,
    });
  }
}

/** True when `emitted = delivered + droppedTotal + queued + inFlight` holds for `snapshot`. Pure. */
export function deliveryIdentityHolds(snapshot: DeliverySnapshot): boolean {
  return snapshot.emitted === snapshot.delivered + snapshot.droppedTotal + snapshot.queued + snapshot.inFlight;
}
