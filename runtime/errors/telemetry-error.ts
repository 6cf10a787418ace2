/**
 * Stable error codes. Codes are API: they never change meaning once released.
 *
 * - `config_invalid`: configuration was missing or invalid at construction time.
 * - `queue_full`: a sink's byte-bounded queue had no room for a record.
 * - `breaker_open`: a sink's circuit breaker was open, the record was not attempted.
 * - `rejected`: the receiver answered and refused the data (4xx, partial success, wrong key).
 * - `ack_timeout`: a forward-protocol chunk was not acknowledged in time.
 * - `unavailable`: the receiver could not be reached (refused, reset, DNS, timeout).
 * - `shutdown`: the client was shut down before the record could be delivered.
 * - `invalid`: a record failed contract validation and could not be repaired.
 * - `protocol`: the peer spoke something that is not the expected protocol.
 * - `internal`: a bug in this library; it is counted and reported, never thrown to callers.
 * - `dependency_missing`: a tool (`check`, the collector, the health service) needs an optional peer
 *   package that is not installed; the message names the `npm i` command.
 */
export type TelemetryErrorCode =
  | "config_invalid"
  | "queue_full"
  | "breaker_open"
  | "rejected"
  | "ack_timeout"
  | "unavailable"
  | "shutdown"
  | "invalid"
  | "protocol"
  | "internal"
  | "dependency_missing";

/**
 * Base class of every error this library creates. It carries a stable {@link TelemetryErrorCode}
 * and always keeps the underlying `cause`.
 */
export class TelemetryError extends Error {
  override name = "TelemetryError";
  readonly code: TelemetryErrorCode;

  constructor(message: string, code: TelemetryErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /**
   * Normalises anything caught into a `TelemetryError`. A `TelemetryError` is returned as is;
   * anything else is wrapped with the given code and kept as `cause`.
   */
  static from(reason: unknown, code: TelemetryErrorCode = "internal"): TelemetryError {
    if (reason instanceof TelemetryError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new TelemetryError(message, code, { cause: reason });
  }
}
