import type { TransportError } from "./transport-error.js";

/**
 * One batch of records, already encoded for the wire by the sink.
 * For the forward protocol `entries` is the concatenation of msgpack `[EventTime, record]` pairs.
 */
export interface EncodedBatch {
  /** Fluentd tag (routing key), e.g. `app.api`. */
  readonly tag: string;
  /** Concatenated msgpack `[EventTime, record]` pairs, not compressed. */
  readonly entries: Uint8Array;
  /** Number of events in `entries` (sent as forward option `size`). */
  readonly count: number;
  /** Size of `entries` in bytes, for accounting. */
  readonly bytes: number;
}

/**
 * The part of a batch a receiver refused while accepting the rest (OTLP `partial_success`): those
 * records must not be resent; the others were accepted.
 */
export interface PartialSuccess {
  /** Records refused (OTLP `rejected_spans` / `rejected_log_records`). */
  readonly rejected: number;
  /** The receiver's reason, possibly empty. */
  readonly errorMessage: string;
}

/**
 * Outcome of one {@link Transport.send}:
 * - `ok`: the receiver acknowledged the batch; `partialSuccess` when it refused some of its records.
 * - `failed`: resending will not help (wrong key, not a forward receiver, transport closed).
 * - `retryable`: the batch may not have arrived (refused, reset, no ack in time); resend it later,
 *   after `retryAfterMs` if given. Resending can duplicate records (at-least-once).
 */
export type SendResult =
  | { readonly status: "ok"; readonly partialSuccess?: PartialSuccess }
  | { readonly status: "failed"; readonly error: TransportError }
  | { readonly status: "retryable"; readonly error: TransportError; readonly retryAfterMs?: number };

/** Delivers encoded batches to one receiver. Implementations never throw and never reject. */
export interface Transport {
  /** Short name for diagnostics, e.g. `forward`. */
  readonly name: string;
  /**
   * Sends one batch and resolves when it is acknowledged or has failed. Never rejects.
   * An aborted `signal` resolves `retryable` with code `shutdown`.
   */
  send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult>;
  /** Closes connections; pending sends resolve `retryable` (`shutdown`), later ones `failed`. Never rejects. */
  close(): Promise<void>;
}
