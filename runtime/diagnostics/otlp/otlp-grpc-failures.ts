import { grpcStatusNames } from "../../transports/otlp/grpc-status.js";
import type { HopFailure } from "../core/hop-reports.js";
import { endpointVar, forbidden, type OtlpPeer, peerText, unauthenticated, withQuote, withSaid } from "./otlp-failures.js";

// gRPC status codes (gRPC's numbers, the same as connect's `Code`).
const deadlineExceeded = 4;
const permissionDenied = 7;
const resourceExhausted = 8;
const unimplemented = 12;
const unavailable = 14;
const unauthenticatedCode = 16;

/** The OTLP service of a signal, as a gRPC status text names it. */
const serviceOf = (peer: OtlpPeer): string => (peer.signal === "traces" ? "TraceService" : "LogsService");

/**
 * The plain-language error and remediation of an OTLP/gRPC check that got a gRPC status other than
 * OK: UNAUTHENTICATED and PERMISSION_DENIED as HTTP 401 and 403 (the token; for Dash0 the dataset),
 * UNIMPLEMENTED (no OTLP service for the signal there), UNAVAILABLE, RESOURCE_EXHAUSTED and
 * DEADLINE_EXCEEDED (overloaded or down: exports are retried), any other status as a rejection. The
 * status message (`said`, already scrubbed of secrets) is quoted. Beside `otlpFailure`'s HTTP texts.
 */
export function grpcFailure(peer: OtlpPeer, code: number, said: string): HopFailure {
  const name = `gRPC ${grpcStatusNames[code] ?? `status ${String(code)}`}`;
  const at = peerText(peer);
  const urlVar = endpointVar(peer);
  switch (code) {
    case unauthenticatedCode:
      return withQuote(unauthenticated(peer, name), said);
    case permissionDenied:
      return withQuote(forbidden(peer, name), said);
    case unimplemented:
      return {
        error: `${at} answered ${name}: it serves no OTLP ${serviceOf(peer)}${withSaid(said)}.`,
        remediation:
          `Check ${urlVar} points at an OTLP/gRPC receiver (usually port 4317) that takes ${peer.signal}, ` +
          "or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf if it speaks OTLP/HTTP.",
      };
    case unavailable:
    case resourceExhausted:
    case deadlineExceeded:
      return {
        error: `${at} is overloaded or unavailable (${name}${withSaid(said)}).`,
        remediation:
          `Check the ${peer.target === "dash0" ? "Dash0 status page" : "collector's health and log"}; ` +
          "exports are retried, so data is delayed while this lasts and dropped when queues fill.",
      };
    default:
      return {
        error: `${at} rejected the export (${name}${withSaid(said)}).`,
        remediation: `Check ${urlVar} points at an OTLP/gRPC receiver; a proxy in between may be answering.`,
      };
  }
}
