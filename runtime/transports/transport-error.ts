import { TelemetryError, type TelemetryErrorCode } from "../errors/telemetry-error.js";

/**
 * An error a transport reports inside a {@link SendResult}; transports never throw it.
 * Its `code` says what happened (`unavailable`, `ack_timeout`, `rejected`, `protocol`, `shutdown`,
 * `internal`), its `cause` keeps the underlying Node error, if any. Messages never contain secrets.
 */
export class TransportError extends TelemetryError {
  override name = "TransportError";

  constructor(message: string, code: TelemetryErrorCode, options?: { cause?: unknown }) {
    super(message, code, options);
  }

  /**
   * Normalises anything caught into a `TransportError`. A `TransportError` is returned as is, a Node
   * socket error is classified by {@link classifyNodeError}, anything else gets `code`.
   */
  static override from(reason: unknown, code: TelemetryErrorCode = "internal"): TransportError {
    if (reason instanceof TransportError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new TransportError(message, classifyNodeError(reason) ?? code, { cause: reason });
  }
}

/** Node error codes that mean "the receiver could not be reached right now". */
const unavailableCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "ERR_SOCKET_CLOSED",
]);

/** Node/OpenSSL error codes of a TLS peer that could not be verified: retrying will not help. */
const tlsRejectCodes: ReadonlySet<string> = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

/**
 * Classifies a caught value by walking its `cause` chain (at most 8 links) for a Node `code`:
 * network failures give `unavailable`, TLS verification failures `protocol`, anything else
 * `undefined` (the caller picks a code). Never throws.
 */
export function classifyNodeError(reason: unknown): TelemetryErrorCode | undefined {
  let current: unknown = reason;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (unavailableCodes.has(code)) return "unavailable";
      if (tlsRejectCodes.has(code)) return "protocol";
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
