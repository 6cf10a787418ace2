import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportTraceServiceRequestSchema } from "../../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { AnyValueSchema, KeyValueSchema, type KeyValue } from "../../../generated/opentelemetry/proto/common/v1/common_pb.js";
import type { HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import { decodePartialSuccess } from "../../transports/otlp/partial-success.js";
import type { Deadline } from "../core/deadline.js";
import { failedHop, passedHop } from "../core/hop-reports.js";
import { postOnce } from "../core/http-exchange.js";
import { otlpFailure, type OtlpPeer } from "./otlp-failures.js";
import { scrubSecrets } from "../../config/known-secrets.js";
import { quoteBody } from "../../transports/http/quote-body.js";
import { displayUrl } from "../core/redaction.js";
import { socketFailureKind } from "../core/socket-failures.js";

/** Where an OTLP check posts. `headers` hold revealed secrets: never print them. */
export interface OtlpRequestTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly peer: OtlpPeer;
  /** Revealed secret values, scrubbed from any response text quoted. */
  readonly secrets: readonly string[];
}

/** One OTLP export's result as a hop, with the HTTP status (0 without one) and when it was accepted. */
export interface OtlpExportResult {
  readonly hop: HopReport;
  readonly httpStatus: number;
  readonly acceptedAtMs: number | undefined;
}

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

/**
 * POSTs one OTLP/HTTP protobuf export (gzipped when `target.peer.gzip`) and maps the answer to a hop
 * named `hop`: 2xx is ok, partial success included (a rejection count is reported only as text of a
 * failed hop when items were rejected); anything else fails with {@link otlpFailure}'s texts.
 * Never rejects.
 */
export async function exportOnce(
  hop: string,
  target: OtlpRequestTarget,
  body: Uint8Array,
  deadline: Deadline,
  acceptedOnly: boolean,
): Promise<OtlpExportResult> {
  const { peer } = target;
  const headers: Record<string, string> = { ...target.headers, "Content-Type": "application/x-protobuf" };
  let wire = body;
  if (peer.gzip) {
    wire = gzipSync(body);
    headers["Content-Encoding"] = "gzip";
  }
  const { outcome, latencyMs } = await postOnce(target.url, headers, wire, deadline);
  switch (outcome.kind) {
    case "response": {
      const { status } = outcome;
      if (status >= 200 && status < 300) {
        const partial = decodePartialSuccess(outcome.body);
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
