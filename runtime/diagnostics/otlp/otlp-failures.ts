import type { OtlpProtocol } from "../../config/otlp-endpoints.js";
import type { HopFailure } from "../core/hop-reports.js";
import { reasonText, type SocketFailureKind } from "../core/socket-failures.js";

/** The OTLP receiver a check talked to, for the texts of {@link otlpFailure}. No secrets. */
export interface OtlpPeer {
  /** `collector`: an OTel collector (OTEL_EXPORTER_OTLP_*); `dash0`: Dash0 (DASH0_*). */
  readonly target: "collector" | "dash0";
  /** The signal path checked. */
  readonly signal: "traces" | "logs";
  /** The wire protocol of that signal: `http/protobuf`, `http/json` or `grpc`. */
  readonly protocol: OtlpProtocol;
  /** The URL as shown (credentials redacted). */
  readonly endpoint: string;
  /** Whether the body was gzipped. */
  readonly gzip: boolean;
  /** Dash0 dataset, if any. */
  readonly dataset: string | undefined;
}

/** Why an OTLP check failed: an HTTP status, or a socket failure, or the deadline (a gRPC status: `grpcFailure`). */
export type OtlpProblem =
  | { readonly kind: "status"; readonly status: number; readonly said: string; readonly location: string | undefined }
  | { readonly kind: "socket"; readonly failure: SocketFailureKind; readonly reason: unknown }
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "partial"; readonly rejected: number; readonly said: string };

export const endpointVar = (peer: OtlpPeer): string => (peer.target === "dash0" ? "DASH0_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT");
const hostOf = (peer: OtlpPeer): string => (URL.canParse(peer.endpoint) ? new URL(peer.endpoint).host : peer.endpoint);
export const withSaid = (said: string): string => (said === "" ? "" : `: ${said}`);
/** The receiver as texts name it: the endpoint, or `Dash0 at <endpoint>`. */
export const peerText = (peer: OtlpPeer): string => (peer.target === "dash0" ? `Dash0 at ${peer.endpoint}` : peer.endpoint);

/**
 * The plain-language error and remediation of an OTLP (`otel()`) or Dash0 (`dash0()`) check failure.
 * 404 (wrong path, e.g. `/v1/traces` twice), 415 (not an OTLP/HTTP protobuf or JSON receiver), 401 (bad
 * token), 403 (token not allowed, for Dash0: the dataset), 3xx, 400, 429/5xx, timeouts, refused
 * connections, DNS, TLS and non-HTTP answers each have their own text; so has each gRPC status
 * (`grpcFailure`, beside this); remediations name the variable to check (OTEL_EXPORTER_OTLP_ENDPOINT /
 * _HEADERS / _COMPRESSION / _PROTOCOL, DASH0_ENDPOINT / _API_KEY / _DATASET).
 * The one table of these texts (gRPC's beside it); tests match them.
 */
export function otlpFailure(peer: OtlpPeer, problem: OtlpProblem): HopFailure {
  const at = peerText(peer);
  const urlVar = endpointVar(peer);
  switch (problem.kind) {
    case "timeout":
      return {
        error: `No answer from ${at} within ${String(problem.timeoutMs)} ms.`,
        remediation: `Check the host and port in ${urlVar}, and that no firewall drops traffic to ${hostOf(peer)}.`,
      };
    case "partial":
      return {
        error: `${at} accepted the export but rejected ${String(problem.rejected)} item(s)${withSaid(problem.said)}.`,
        remediation: "Check the receiver's log for why it rejected them.",
      };
    case "socket":
      return socketFailure(peer, at, urlVar, problem.failure, problem.reason);
    case "status": {
      const failure = statusFailure(peer, at, urlVar, problem.status, problem.said, problem.location);
      return withQuote(failure, problem.said);
    }
  }
}

/** `failure` with what the receiver said appended, unless its error already quotes it. */
export function withQuote(failure: HopFailure, said: string): HopFailure {
  const quoted = said !== "" && !failure.error.includes(said);
  return quoted ? { error: `${failure.error} It answered: "${said}".`, remediation: failure.remediation } : failure;
}

function socketFailure(peer: OtlpPeer, at: string, urlVar: string, failure: SocketFailureKind, reason: unknown): HopFailure {
  const grpc = peer.protocol === "grpc";
  switch (failure) {
    case "refused":
      return {
        error: `Nothing is listening at ${hostOf(peer)} (connection refused).`,
        remediation:
          peer.target === "dash0"
            ? `Check ${urlVar} (the OTLP/${grpc ? "gRPC endpoint" : "HTTP base URL"} of your Dash0 region).`
            : `Check ${urlVar} (host and port; OTLP/${grpc ? "gRPC is usually 4317" : "HTTP is usually 4318"}) and that the collector is running.`,
      };
    case "dns":
      return { error: `The host name in ${at} does not resolve.`, remediation: `Check the host in ${urlVar}.` };
    case "tls":
      return {
        error: `TLS with ${at} failed (${reasonText(reason)}).`,
        remediation: `Check http:// versus https:// in ${urlVar}, and that this host trusts the receiver's certificate.`,
      };
    case "reset":
    case "http_parse":
      if (grpc) {
        return {
          error: `${at} did not answer in gRPC (it closed the connection or does not speak HTTP/2).`,
          remediation:
            `Check the port in ${urlVar}: it must be the OTLP/gRPC port (usually 4317), not OTLP/HTTP (4318), ` +
            "or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf for an OTLP/HTTP receiver.",
        };
      }
      return {
        error: `${at} did not answer in HTTP (it closed the connection or sent something else).`,
        remediation: `Check the port in ${urlVar}: it must be the OTLP/HTTP port (usually 4318), not gRPC (4317) or another service.`,
      };
    default:
      return { error: `${at} cannot be reached (${reasonText(reason)}).`, remediation: `Check ${urlVar} and the network route to ${hostOf(peer)}.` };
  }
}

function statusFailure(peer: OtlpPeer, at: string, urlVar: string, status: number, said: string, location: string | undefined): HopFailure {
  const dash0 = peer.target === "dash0";
  const path = `/v1/${peer.signal}`;
  if (status === 404) {
    const twice = peer.endpoint.includes(`${path}${path}`);
    const exampleBase = dash0 ? "https://ingress.eu-west-1.aws.dash0.com" : "http://collector:4318";
    const fullUrlHint = dash0 ? "" : ` A full URL belongs in OTEL_EXPORTER_OTLP_${peer.signal.toUpperCase()}_ENDPOINT instead.`;
    return {
      error: `${at} answered HTTP 404 Not Found: there is no OTLP receiver at that path${twice ? ` (the URL has ${path} twice)` : ""}.`,
      remediation: `Check ${urlVar}: it is the base URL (e.g. ${exampleBase}) and ${path} is appended, so did you include ${path} twice?${fullUrlHint}`,
    };
  }
  if (status === 415) {
    const type = peer.protocol === "http/json" ? "OTLP JSON (application/json" : "OTLP protobuf (application/x-protobuf";
    return {
      error: `${at} answered HTTP 415 Unsupported Media Type: it does not take ${type}${peer.gzip ? ", gzip" : ""}).`,
      remediation: dash0
        ? `Check ${urlVar} points at Dash0's OTLP/HTTP ingress.`
        : `Check ${urlVar} points at an OTLP/HTTP receiver (port 4318; 4317 is gRPC)` +
          `${peer.gzip ? ", and set OTEL_EXPORTER_OTLP_COMPRESSION=none if it cannot take gzip" : ""}.`,
    };
  }
  if (status === 401) return unauthenticated(peer, "HTTP 401 Unauthorized");
  if (status === 403) return forbidden(peer, "HTTP 403 Forbidden");
  if (status >= 300 && status < 400) {
    return {
      error: `${at} answered HTTP ${String(status)}, a redirect${location === undefined ? "" : ` to ${location}`}; exporters do not follow redirects.`,
      remediation: `Check ${urlVar}: use the final URL (often https:// instead of http://).`,
    };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return {
      error: `${at} is overloaded or unavailable (HTTP ${String(status)}${withSaid(said)}).`,
      remediation:
        `Check the ${dash0 ? "Dash0 status page" : "collector's health and log"}; ` +
        "exports are retried, so data is delayed while this lasts and dropped when queues fill.",
    };
  }
  return {
    error: `${at} rejected the export (HTTP ${String(status)}${withSaid(said)}).`,
    remediation: `Check ${urlVar} points at an OTLP/HTTP receiver; a proxy in between may be answering.`,
  };
}

/** A bad or missing token (`answer`: `HTTP 401 Unauthorized`, `gRPC UNAUTHENTICATED`). */
export function unauthenticated(peer: OtlpPeer, answer: string): HopFailure {
  return peer.target === "dash0"
    ? {
        error: `Dash0 rejected the token (${answer}).`,
        remediation: 'Check DASH0_API_KEY: an auth token from Dash0 with ingest permission, without the "Bearer " prefix.',
      }
    : {
        error: `${peer.endpoint} answered ${answer}: it wants credentials we did not send or does not accept.`,
        remediation: "Check OTEL_EXPORTER_OTLP_HEADERS (e.g. Authorization=Bearer <token>).",
      };
}

/** A token not allowed to write (`answer`: `HTTP 403 Forbidden`, `gRPC PERMISSION_DENIED`); for Dash0, the dataset. */
export function forbidden(peer: OtlpPeer, answer: string): HopFailure {
  return peer.target === "dash0"
    ? {
        error:
          "Dash0 accepted the token but it may not write to " +
          `${peer.dataset === undefined ? "the default dataset" : `dataset "${peer.dataset}"`} (${answer}).`,
        remediation:
          `Check DASH0_DATASET (now ${peer.dataset === undefined ? "not set" : `"${peer.dataset}"`}): ` +
          "the dataset must exist and the token must be allowed to write to it.",
      }
    : {
        error: `${peer.endpoint} answered ${answer}: the credentials are not allowed to write here.`,
        remediation: "Check OTEL_EXPORTER_OTLP_HEADERS: the token's permissions and any tenant or dataset header.",
      };
}

/** Why `otel()` or `dash0()` has nothing to check. */
export function otlpNotConfigured(target: "collector" | "dash0"): HopFailure {
  return target === "dash0"
    ? {
        error: "Dash0 is not configured (DASH0_ENDPOINT is not set).",
        remediation: "Set DASH0_ENDPOINT and DASH0_API_KEY (and DASH0_DATASET for a dataset other than the default).",
      }
    : {
        error: "OTLP export is off: no traces or logs endpoint is configured.",
        remediation: "Set OTEL_EXPORTER_OTLP_ENDPOINT to the collector's OTLP/HTTP base URL (e.g. http://collector:4318).",
      };
}
