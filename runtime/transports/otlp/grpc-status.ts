import type { SendResult } from "../transport.js";
import { classifyNodeError, TransportError } from "../transport-error.js";
import { quoteBody } from "../http/quote-body.js";
import { forEachField, wireLengthDelimited, wireVarint } from "./protobuf-fields.js";

/** gRPC status codes by number (the numbers are gRPC's, the same as connect's `Code`). */
export const grpcStatusNames: readonly string[] = Object.freeze([
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
]);

const resourceExhausted = 8;
const permissionDenied = 7;
const unauthenticated = 16;

/**
 * Status codes the OTLP specification says to retry: CANCELLED, DEADLINE_EXCEEDED, ABORTED,
 * OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS (and RESOURCE_EXHAUSTED only with a `RetryInfo`, see
 * {@link grpcResultOf}).
 */
export const otlpRetryableGrpcCodes: ReadonlySet<number> = new Set([1, 4, 10, 11, 14, 15]);

/** One detail of a gRPC error status (`grpc-status-details-bin`): its type name and encoded value. */
export interface GrpcStatusDetail {
  readonly type: string;
  readonly value: Uint8Array;
}

/** A failed gRPC call as the transport saw it: connect's `ConnectError`, reduced to what the mapping reads. */
export interface GrpcFailure {
  /** The gRPC status code. */
  readonly code: number;
  /** The status message (the server's `grpc-message`, or the local failure's text). */
  readonly message: string;
  readonly details: readonly GrpcStatusDetail[];
  /** The local error behind it (socket, TLS, HTTP/2), when the call failed before a status came. */
  readonly cause: unknown;
}

/** How a gRPC transport names its receiver and explains an auth failure, for {@link grpcResultOf}. */
export interface GrpcResultContext {
  /** The receiver as shown in messages, e.g. `OTLP/gRPC endpoint http://collector:4317` (no credentials). */
  readonly peer: string;
  /** What to check on UNAUTHENTICATED / PERMISSION_DENIED. */
  readonly authHint: string;
  /** Strings scrubbed from any status message quoted (API keys, metadata values). */
  readonly secrets: readonly string[];
}

/**
 * Maps a failed OTLP/gRPC call to a `SendResult`, as OTLP's exporter specification says:
 * - a socket error Node classifies as a network failure → `retryable` (`unavailable`); a TLS
 *   verification failure → `failed` (`protocol`);
 * - CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS → `retryable`
 *   (`unavailable`), with `retryAfterMs` from a `google.rpc.RetryInfo` detail when the server sent one;
 * - RESOURCE_EXHAUSTED → `retryable` with its `RetryInfo` delay, `failed` (`rejected`) without one;
 * - UNAUTHENTICATED / PERMISSION_DENIED → `failed` (`rejected`) naming `authHint`, as HTTP 401/403;
 * - any other status → `failed` (`rejected`); a local failure with no status (not HTTP/2, not gRPC) → `failed` (`protocol`).
 * Messages quote at most 200 characters of the status message, with every secret replaced by `[redacted]`.
 */
export function grpcResultOf(failure: GrpcFailure, context: GrpcResultContext): Exclude<SendResult, { readonly status: "ok" }> {
  const name = grpcStatusNames[failure.code] ?? `code ${failure.code}`;
  const said = quoteBody(Buffer.from(failure.message, "utf8"), context.secrets);
  const local = failure.cause !== undefined;
  const base = local ? `${context.peer}: ${name}${said === "" ? "" : ` (${said})`}` : `${context.peer} answered gRPC ${name}${said === "" ? "" : `: ${said}`}`;
  const nodeClass = classifyNodeError(failure.cause);
  if (nodeClass === "protocol") return { status: "failed", error: new TransportError(base, "protocol", { cause: failure.cause }) };
  const retryAfterMs = retryInfoDelayMs(failure.details);
  const retryable =
    nodeClass === "unavailable" || otlpRetryableGrpcCodes.has(failure.code) || (failure.code === resourceExhausted && retryAfterMs !== undefined);
  if (retryable) {
    const error = new TransportError(base, "unavailable", { cause: failure.cause });
    return retryAfterMs === undefined ? { status: "retryable", error } : { status: "retryable", error, retryAfterMs };
  }
  if (failure.code === unauthenticated || failure.code === permissionDenied) {
    const what = failure.code === unauthenticated ? "not authenticated" : "not authorised";
    return { status: "failed", error: new TransportError(`${base} (${what}: ${context.authHint})`, "rejected") };
  }
  return { status: "failed", error: new TransportError(base, local ? "protocol" : "rejected", { cause: failure.cause }) };
}

const retryInfoType = "google.rpc.RetryInfo";

/**
 * The delay of the first `google.rpc.RetryInfo` detail, in ms (`RetryInfo { Duration retry_delay = 1 }`,
 * `Duration { int64 seconds = 1; int32 nanos = 2 }`), or `undefined` when there is none or it is not
 * protobuf. Never throws.
 */
export function retryInfoDelayMs(details: readonly GrpcStatusDetail[]): number | undefined {
  const detail = details.find((d) => d.type === retryInfoType);
  if (detail === undefined) return undefined;
  try {
    let delayMs: number | undefined;
    forEachField(detail.value, (field, wireType, value) => {
      if (field !== 1 || wireType !== wireLengthDelimited) return;
      let seconds = 0n;
      let nanos = 0n;
      forEachField(value as Uint8Array, (f, w, v) => {
        if (f === 1 && w === wireVarint) seconds = BigInt.asIntN(64, v as bigint);
        else if (f === 2 && w === wireVarint) nanos = BigInt.asIntN(32, v as bigint);
      });
      delayMs = Math.max(0, Number(seconds) * 1000 + Math.round(Number(nanos) / 1e6));
    });
    return delayMs;
  } catch {
    return undefined;
  }
}
