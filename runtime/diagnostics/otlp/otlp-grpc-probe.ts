import { performance } from "node:perf_hooks";
import { fromBinary, toBinary, type DescMessage, type DescMethodUnary } from "@bufbuild/protobuf";
import { LogsService } from "../../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { TraceService } from "../../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { loadConnect, loadConnectNode } from "../../package/optional-dependencies.js";
import { quoteBody } from "../../transports/http/quote-body.js";
import { createGuardedSessionManager } from "../../transports/otlp/http2-sessions.js";
import { decodePartialSuccess } from "../../transports/otlp/partial-success.js";
import type { Deadline } from "../core/deadline.js";
import { failedHop, passedHop, type HopFailure } from "../core/hop-reports.js";
import { socketFailureKind, type SocketFailureKind } from "../core/socket-failures.js";
import { otlpFailure } from "./otlp-failures.js";
import { grpcFailure } from "./otlp-grpc-failures.js";
import type { OtlpExportResult, OtlpRequestTarget } from "./otlp-request.js";

/** Keep at most this much of a response: enough for a partial_success or a status message. */
const maxResponseBytes = 64 * 1024;

/** The OTLP `Export` RPC of each signal a check sends. */
const exportMethods: Readonly<Record<"traces" | "logs", DescMethodUnary<DescMessage, DescMessage>>> = Object.freeze({
  traces: TraceService.method.export,
  logs: LogsService.method.export,
});

const result = (hop: OtlpExportResult["hop"], acceptedAtMs?: number): OtlpExportResult => ({ hop, httpStatus: 0, acceptedAtMs });

/**
 * One OTLP/gRPC `Export` call (`TraceService` or `LogsService`, as `target.peer.signal` says) with
 * connect-node on a fresh HTTP/2 connection to the origin of `target.url` (h2c for `http://`, TLS for
 * `https://` trusting `target.ca` when set), `target.headers` as metadata, gzip when `target.peer.gzip`,
 * and what is left of `deadline` as the call's deadline (`grpc-timeout`). `body` is the encoded
 * `Export*ServiceRequest`. OK is a passed hop (a `partial_success` rejecting items fails it, as over
 * HTTP); a gRPC status fails it with {@link grpcFailure}'s texts; a socket failure (refused, DNS, TLS,
 * not HTTP/2) or the deadline with `otlpFailure`'s. `httpStatus` is 0: gRPC answers in its status.
 * Never rejects; without `@connectrpc/connect-node` the hop fails naming the `npm i` command.
 */
export async function grpcExportOnce(
  hop: string,
  target: OtlpRequestTarget,
  body: Uint8Array,
  deadline: Deadline,
  acceptedOnly: boolean,
): Promise<OtlpExportResult> {
  const { peer } = target;
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  let connect: Awaited<ReturnType<typeof loadConnect>>;
  let connectNode: Awaited<ReturnType<typeof loadConnectNode>>;
  try {
    [connect, connectNode] = await Promise.all([loadConnect(), loadConnectNode()]);
  } catch (e: unknown) {
    return result(failedHop(hop, elapsed(), missingConnect(e)));
  }
  const remainingMs = Math.floor(deadline.remainingMs());
  if (remainingMs <= 0) return result(failedHop(hop, 0, otlpFailure(peer, { kind: "timeout", timeoutMs: deadline.timeoutMs })));
  const baseUrl = new URL(target.url).origin;
  const sessions = createGuardedSessionManager(connectNode.Http2SessionManager, baseUrl, target.ca);
  const transport = connectNode.createGrpcTransport({
    baseUrl,
    sessionManager: sessions,
    // Even the tiny empty export is gzipped (connect's default skips messages under 1 KiB): the check is whether the receiver takes gzip.
    ...(peer.gzip ? { sendCompression: connectNode.compressionGzip, compressMinBytes: 0 } : {}),
    readMaxBytes: maxResponseBytes,
  });
  const metadata = new Headers();
  for (const [name, value] of Object.entries(target.headers)) metadata.set(name.toLowerCase(), value);
  const method = exportMethods[peer.signal];
  try {
    const response = await transport.unary(method, deadline.signal, remainingMs, metadata, fromBinary(method.input, body));
    const partial = decodePartialSuccess(toBinary(method.output, response.message));
    if (partial !== undefined && partial.rejected > 0) {
      const said = quoteBody(Buffer.from(partial.errorMessage, "utf8"), target.secrets);
      return result(failedHop(hop, elapsed(), otlpFailure(peer, { kind: "partial", rejected: partial.rejected, said })));
    }
    return result(passedHop(hop, elapsed(), acceptedOnly), Date.now());
  } catch (error: unknown) {
    if (deadline.signal.aborted || deadline.remainingMs() <= 0) {
      return result(failedHop(hop, elapsed(), otlpFailure(peer, { kind: "timeout", timeoutMs: deadline.timeoutMs })));
    }
    const e = connect.ConnectError.from(error);
    const local = localFailureKind(e.cause ?? error);
    if (local !== "other") return result(failedHop(hop, elapsed(), otlpFailure(peer, { kind: "socket", failure: local, reason: e.cause ?? error })));
    return result(failedHop(hop, elapsed(), grpcFailure(peer, e.code, quoteBody(Buffer.from(e.rawMessage, "utf8"), target.secrets))));
  } finally {
    sessions.abort();
  }
}

/** A socket failure's kind; an HTTP/2 error with no gRPC status (an HTTP/1.1 server, say) is `http_parse`: not gRPC. */
function localFailureKind(reason: unknown): SocketFailureKind {
  const kind = socketFailureKind(reason);
  const code = (reason as { code?: unknown } | null)?.code;
  return kind === "other" && typeof code === "string" && code.startsWith("ERR_HTTP2_") ? "http_parse" : kind;
}

function missingConnect(e: unknown): HopFailure {
  return {
    error: `OTLP/gRPC cannot be checked: ${e instanceof Error ? e.message : String(e)}.`,
    remediation: "Install @connectrpc/connect-node and @connectrpc/connect, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf.",
  };
}
