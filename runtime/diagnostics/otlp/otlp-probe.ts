import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportTraceServiceRequestSchema } from "../../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { AnyValueSchema, KeyValueSchema, type KeyValue } from "../../../generated/opentelemetry/proto/common/v1/common_pb.js";
import { otlpJsonFromProtobuf } from "../../encoding/otlp-json-transcoder.js";
import { decodeJsonPartialSuccess, decodePartialSuccess } from "../../transports/otlp/partial-success.js";
import type { Deadline } from "../core/deadline.js";
import { failedHop, passedHop } from "../core/hop-reports.js";
import { postOnce } from "../core/http-exchange.js";
import { otlpFailure } from "./otlp-failures.js";
import { grpcExportOnce } from "./otlp-grpc-probe.js";
import type { OtlpExportResult, OtlpRequestTarget } from "./otlp-request.js";
import { scrubSecrets } from "../../config/known-secrets.js";
import { quoteBody } from "../../transports/http/quote-body.js";
import { displayUrl } from "../core/redaction.js";
import { socketFailureKind } from "../core/socket-failures.js";

function stringAttribute(key: string, value: string): KeyValue {
  return create(KeyValueSchema, { key, value: create(AnyValueSchema, { value: { case: "stringValue", value } }) });
}

function resourceOf(serviceName: string): { attributes: KeyValue[] } {
  return { attributes: [stringAttribute("service.name", serviceName)] };
}

/**
 * An `ExportTraceServiceRequest` with zero spans (one resource naming the service, nothing in it):
 * a valid export that writes nothing, so it tests endpoint, path, content type and credentials for free.
 */
export function emptyTraceExport(serviceName: string): Uint8Array {
  return toBinary(
    ExportTraceServiceRequestSchema,
    create(ExportTraceServiceRequestSchema, { resourceSpans: [{ resource: resourceOf(serviceName), scopeSpans: [] }] }),
  );
}

/** An `ExportLogsServiceRequest` with zero log records, for a receiver that only takes logs. */
export function emptyLogExport(serviceName: string): Uint8Array {
  return toBinary(
    ExportLogsServiceRequestSchema,
    create(ExportLogsServiceRequestSchema, { resourceLogs: [{ resource: resourceOf(serviceName), scopeLogs: [] }] }),
  );
}

/** The OTLP/JSON form of an encoded `Export{Trace,Logs}ServiceRequest` (hex ids, enums as integers). */
function jsonBody(signal: "traces" | "logs", body: Uint8Array): Uint8Array {
  const schema = signal === "traces" ? ExportTraceServiceRequestSchema : ExportLogsServiceRequestSchema;
  return otlpJsonFromProtobuf(schema, () => ({ body, count: 0, bytes: body.byteLength }))([]).body;
}

/**
 * Sends one OTLP export over the signal's protocol (`target.peer.protocol`) and maps the answer to a
 * hop named `hop`. `body` is the encoded `Export{Trace,Logs}ServiceRequest`:
 * - `http/protobuf`: POSTed as is (`application/x-protobuf`), gzipped when `target.peer.gzip`;
 * - `http/json`: POSTed as OTLP/JSON (`application/json`), gzipped likewise; the `partialSuccess` read from JSON;
 * - `grpc`: one `Export` call ({@link grpcExportOnce}), the gRPC status reported.
 * 2xx (OK) is ok, partial success included (a rejection count is reported only as text of a failed hop
 * when items were rejected); anything else fails with {@link otlpFailure}'s texts (gRPC: `grpcFailure`'s).
 * Never rejects.
 */
export async function exportOnce(
  hop: string,
  target: OtlpRequestTarget,
  body: Uint8Array,
  deadline: Deadline,
  acceptedOnly: boolean,
): Promise<OtlpExportResult> {
  if (target.peer.protocol === "grpc") return grpcExportOnce(hop, target, body, deadline, acceptedOnly);
  const json = target.peer.protocol === "http/json";
  const { peer } = target;
  const headers: Record<string, string> = { ...target.headers, "Content-Type": json ? "application/json" : "application/x-protobuf" };
  let wire = json ? jsonBody(peer.signal, body) : body;
  if (peer.gzip) {
    wire = gzipSync(body);
    headers["Content-Encoding"] = "gzip";
  }
  const { outcome, latencyMs } = await postOnce(target.url, headers, wire, deadline, target.ca);
  switch (outcome.kind) {
    case "response": {
      const { status } = outcome;
      if (status >= 200 && status < 300) {
        const partial = json ? decodeJsonPartialSuccess(outcome.body) : decodePartialSuccess(outcome.body);
        if (partial !== undefined && partial.rejected > 0) {
          const said = quoteBody(Buffer.from(partial.errorMessage, "utf8"), target.secrets);
          return {
            hop: failedHop(hop, latencyMs, otlpFailure(peer, { kind: "partial", rejected: partial.rejected, said })),
            httpStatus: status,
            acceptedAtMs: undefined,
          };
        }
        return { hop: passedHop(hop, latencyMs, acceptedOnly), httpStatus: status, acceptedAtMs: Date.now() };
      }
      const location =
        typeof outcome.headers.location === "string" ? scrubSecrets(displayUrl(outcome.headers.location), target.secrets).slice(0, 200) : undefined;
      const failure = otlpFailure(peer, { kind: "status", status, said: quoteBody(outcome.body, target.secrets), location });
      return { hop: failedHop(hop, latencyMs, failure), httpStatus: status, acceptedAtMs: undefined };
    }
    case "error":
      return {
        hop: failedHop(hop, latencyMs, otlpFailure(peer, { kind: "socket", failure: socketFailureKind(outcome.error), reason: outcome.error })),
        httpStatus: 0,
        acceptedAtMs: undefined,
      };
    case "closed":
      return {
        hop: failedHop(hop, latencyMs, otlpFailure(peer, { kind: "socket", failure: "reset", reason: "closed" })),
        httpStatus: 0,
        acceptedAtMs: undefined,
      };
    case "timeout":
    case "aborted":
      return { hop: failedHop(hop, latencyMs, otlpFailure(peer, { kind: "timeout", timeoutMs: deadline.timeoutMs })), httpStatus: 0, acceptedAtMs: undefined };
  }
}
