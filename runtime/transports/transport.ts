import type { TransportError } from "./transport-error.js";

/**
 * One batch of records, already encoded for its receiver by the sink's encoder (forward entries,
 * an `in_http` array, NDJSON lines, an OTLP request). What else a transport needs (the forward tag,
 * the `in_http` path) it asks for in its own batch type, which extends this one.
 */
export interface EncodedBatch {
  /** The encoded records, as the transport sends them (before any compression it applies). */
  readonly body: Uint8Array;
  /** Number of records in `body`, for accounting (and, for the forward protocol, its option `size`). */
  readonly count: number;
  /** Size of `body` in bytes, for accounting. */
  readonly bytes: number;
  /**
   * Called by the sink once it is done with the batch: `reusable` once the receiver acknowledged it (a
   * send that returned `ok`), so the batch's memory is not read again and may be reused; not reusable
   * when it dropped the batch after a `failed` send (the transport may still hold its memory). Not
   * called on other outcomes; never throws.
   */
  readonly release?: (reusable: boolean) => void;
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

/**
 * Delivers encoded batches to one receiver. Implementations never throw and never reject. `B` is the
 * batch type it takes: {@link EncodedBatch}, or one that carries what this transport needs besides.
 */
export interface Transport<B extends EncodedBatch = EncodedBatch> {
  /** Short name for diagnostics, e.g. `forward`. */
  readonly name: string;
  /**
   * Sends one batch and resolves when it is acknowledged or has failed. Never rejects.
   * An aborted `signal` resolves `retryable` with code `shutdown`.
   */
  send(batch: B, signal?: AbortSignal): Promise<SendResult>;
  /** Closes connections; pending sends resolve `retryable` (`shutdown`), later ones `failed`. Never rejects. */
  close(): Promise<void>;
}
