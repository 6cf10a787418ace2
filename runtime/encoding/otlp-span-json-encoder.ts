import { standardTraceSpanToOtlpSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import type { OtlpSpan, StandardTraceSpan } from "../../generated/index.js";
import type { EncodedBatch } from "../transports/transport.js";
import { groupBy, groupByResource, instrumentationScope } from "./otlp-log-encoder.js";
import { scopeKey } from "./otlp-span-encoder.js";
import { withExtraResource } from "./otlp-values.js";
import { jsonKeyValues, jsonNanos } from "./otlp-json-values.js";
import { wellFormedJson } from "./well-formed-json.js";

/** A span in OTLP/JSON, the fields the protobuf encoder writes (ids hex, kind and status code as integers). */
function jsonSpan(s: OtlpSpan): Record<string, unknown> {
  const span: Record<string, unknown> = { traceId: s.traceId, spanId: s.spanId };
  if (s.parentSpanId !== "") span.parentSpanId = s.parentSpanId;
  span.name = s.name;
  if (s.kind !== 0) span.kind = s.kind;
  span.startTimeUnixNano = jsonNanos(s.startTimeUnixNano);
  span.endTimeUnixNano = jsonNanos(s.endTimeUnixNano);
  span.attributes = jsonKeyValues(s.attributes);
  span.events = s.events.map((e) => ({ timeUnixNano: jsonNanos(e.timeUnixNano), name: e.name, attributes: jsonKeyValues(e.attributes) }));
  const status: Record<string, unknown> = {};
  if (s.status.message !== "") status.message = s.status.message;
  if (s.status.code !== 0) status.code = s.status.code;
  span.status = status;
  return span;
}

/**
 * Encodes spans as one OTLP `ExportTraceServiceRequest` in OTLP/JSON (`application/json`, for
 * `http/json`): the same resources, scope and fields as {@link encodeOtlpSpans} writes in protobuf,
 * with the JSON mapping's keys, hex ids, integer enums and 64-bit times as strings. Runs once per batch, off the call path.
 */
export function encodeOtlpSpansJson(spans: readonly StandardTraceSpan[], extraResource?: Readonly<Record<string, string>>): EncodedBatch {
  const resourceSpans = groupByResource(spans.map(standardTraceSpanToOtlpSpan)).map((group) => ({
    resource: { attributes: jsonKeyValues(withExtraResource(group[0]!.resource, extraResource)) },
    scopeSpans: groupBy(group, scopeKey).map((scoped) => {
      const { scope } = scoped[0]!;
      return { scope: scope.name === "" ? instrumentationScope : { ...scope }, spans: scoped.map(jsonSpan) };
    }),
  }));
  const body = Buffer.from(wellFormedJson({ resourceSpans }), "utf8");
  return { body, count: spans.length, bytes: body.byteLength };
}
