import type { BreakerState } from "../circuit-breaker.js";
import type { DeliverySnapshot } from "../delivery-accounting.js";
import type { SpoolHealth } from "../spool/spool-health.js";
import type { SinkTarget } from "./options.js";

/** {@link DeliverySnapshot} plus the sink's own state, frozen. */
export interface SinkHealth extends DeliverySnapshot {
  /** The sink's name ({@link SinkOptions.name}). */
  readonly name: string;
  /** The kind of receiver ({@link SinkOptions.target}): what health readers match on, never the name. */
  readonly target: SinkTarget;
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
