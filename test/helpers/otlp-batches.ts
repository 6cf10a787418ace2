/** Encoded OTLP export requests for transport tests, built with protobuf-es from the generated OTLP schemas. */
import { create, toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportMetricsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { ExportTraceServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { EncodedBatch } from "../../runtime/transports/transport.js";

const resource = { attributes: [{ key: "service.name", value: { value: { case: "stringValue" as const, value: "api" } } }] };

function batch(body: Uint8Array, count: number): EncodedBatch {
  return { body, count, bytes: body.byteLength };
}

/** An ExportTraceServiceRequest with `count` spans `<name>-<i>`, trace id ab…ab, span ids 0101…, 0202…. */
export function spansBatch(count: number, name = "span"): EncodedBatch {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: new Uint8Array(16).fill(0xab),
    spanId: new Uint8Array(8).fill(i + 1),
    name: `${name}-${i}`,
    kind: 2,
    startTimeUnixNano: 1700000000000000000n,
    endTimeUnixNano: 1700000000123456789n,
  }));
  return batch(
    toBinary(ExportTraceServiceRequestSchema, create(ExportTraceServiceRequestSchema, { resourceSpans: [{ resource, scopeSpans: [{ spans }] }] })),
    count,
  );
}

/** An ExportLogsServiceRequest with `count` records with bodies `<text>-<i>` at severity INFO. */
export function logsBatch(count: number, text = "log"): EncodedBatch {
  const logRecords = Array.from({ length: count }, (_, i) => ({
    timeUnixNano: 1700000000000000000n + BigInt(i),
    severityNumber: 9,
    body: { value: { case: "stringValue" as const, value: `${text}-${i}` } },
  }));
  return batch(
    toBinary(ExportLogsServiceRequestSchema, create(ExportLogsServiceRequestSchema, { resourceLogs: [{ resource, scopeLogs: [{ logRecords }] }] })),
    count,
  );
}

/** An ExportMetricsServiceRequest with one gauge `<name>` of `count` double points 0, 1, 2…. */
export function metricsBatch(count: number, name = "queue.depth"): EncodedBatch {
  const dataPoints = Array.from({ length: count }, (_, i) => ({ timeUnixNano: 1700000000000000000n, value: { case: "asDouble" as const, value: i } }));
  const metrics = [{ name, unit: "1", data: { case: "gauge" as const, value: { dataPoints } } }];
  return batch(
    toBinary(ExportMetricsServiceRequestSchema, create(ExportMetricsServiceRequestSchema, { resourceMetrics: [{ resource, scopeMetrics: [{ metrics }] }] })),
    count,
  );
}
