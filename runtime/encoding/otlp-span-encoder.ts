import { create, toBinary } from "@bufbuild/protobuf";
import type { StandardTraceSpan } from "../../generated/index.js";
import { standardTraceSpanToOtlpSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import { ExportTraceServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { ResourceSpans, Span } from "../../generated/opentelemetry/proto/trace/v1/trace_pb.js";
import type { EncodedBatch } from "../transports/transport.js";
import { instrumentationScope } from "./otlp-log-encoder.js";
import { hexToBytes, toKeyValues } from "./otlp-values.js";

/**
 * Encodes spans as one OTLP `ExportTraceServiceRequest` (protobuf), spans of the same service under
 * one resource, each field where the contract's OTLP slots put it. Runs once per batch, off the
 * call path.
 */
export function encodeOtlpSpans(spans: readonly StandardTraceSpan[]): EncodedBatch {
  const byResource = new Map<string, ResourceSpans>();
  const resourceSpans: ResourceSpans[] = [];
  for (const span of spans) {
    const s = standardTraceSpanToOtlpSpan(span);
    const key = JSON.stringify(s.resource);
    let group = byResource.get(key);
    if (group === undefined) {
      group = {
        $typeName: "opentelemetry.proto.trace.v1.ResourceSpans",
        resource: { $typeName: "opentelemetry.proto.resource.v1.Resource", attributes: toKeyValues(s.resource), droppedAttributesCount: 0 },
        scopeSpans: [
          {
            $typeName: "opentelemetry.proto.trace.v1.ScopeSpans",
            scope: { $typeName: "opentelemetry.proto.common.v1.InstrumentationScope", ...instrumentationScope },
            spans: [],
            schemaUrl: "",
          },
        ],
        instrumentationLibrarySpans: [],
        schemaUrl: "",
      };
      byResource.set(key, group);
      resourceSpans.push(group);
    }
    const out: Span = {
      $typeName: "opentelemetry.proto.trace.v1.Span",
      traceId: hexToBytes(s.traceId),
      spanId: hexToBytes(s.spanId),
      traceState: "",
      parentSpanId: hexToBytes(s.parentSpanId),
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano,
      endTimeUnixNano: s.endTimeUnixNano,
      attributes: toKeyValues(s.attributes),
      droppedAttributesCount: 0,
      events: s.events.map((e) => ({
        $typeName: "opentelemetry.proto.trace.v1.Span.Event",
        timeUnixNano: e.timeUnixNano,
        name: e.name,
        attributes: toKeyValues(e.attributes),
        droppedAttributesCount: 0,
      })),
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { $typeName: "opentelemetry.proto.trace.v1.Status", message: s.status.message, code: s.status.code },
    };
    group.scopeSpans[0]!.spans.push(out);
  }
  const bytes = toBinary(ExportTraceServiceRequestSchema, create(ExportTraceServiceRequestSchema, { resourceSpans }));
  return { tag: "otlp.traces", entries: bytes, count: spans.length, bytes: bytes.length };
}
