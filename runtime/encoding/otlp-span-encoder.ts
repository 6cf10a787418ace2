import { standardTraceSpanToOtlpSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import type { OtlpSpan, StandardTraceSpan } from "../../generated/index.js";
import type { EncodedBatch } from "../transports/transport.js";
import { groupBy, groupByResource, instrumentationScope } from "./otlp-log-encoder.js";
import { hexToBytes, withExtraResource, writeKeyValues, writeResource, writeScope } from "./otlp-values.js";
import { ProtoWriter, WireType } from "../wire/proto-writer.js";

const LEN = WireType.LengthDelimited;

function writeSpan(w: ProtoWriter, s: OtlpSpan): void {
  w.tag(2, LEN).fork(); // ScopeSpans.spans
  w.tag(1, LEN).bytes(hexToBytes(s.traceId));
  w.tag(2, LEN).bytes(hexToBytes(s.spanId));
  if (s.parentSpanId !== "") w.tag(4, LEN).bytes(hexToBytes(s.parentSpanId));
  w.tag(5, LEN).string(s.name);
  if (s.kind !== 0) w.tag(6, WireType.Varint).int32(s.kind);
  w.tag(7, WireType.Bit64).fixed64(s.startTimeUnixNano);
  w.tag(8, WireType.Bit64).fixed64(s.endTimeUnixNano);
  writeKeyValues(w, 9, s.attributes);
  for (const e of s.events) {
    w.tag(11, LEN).fork().tag(1, WireType.Bit64).fixed64(e.timeUnixNano).tag(2, LEN).string(e.name);
    writeKeyValues(w, 3, e.attributes);
    w.join();
  }
  w.tag(15, LEN).fork(); // status
  if (s.status.message !== "") w.tag(2, LEN).string(s.status.message);
  if (s.status.code !== 0) w.tag(3, WireType.Varint).int32(s.status.code);
  w.join();
  w.join();
}

/** The key spans of one instrumentation scope share. */
export const scopeKey = (s: OtlpSpan): string => `${s.scope.name}\u0000${s.scope.version}`;

/**
 * Encodes spans as one OTLP `ExportTraceServiceRequest` (protobuf), spans of the same service under
 * one resource and, within it, spans of the same instrumentation scope (a library's tracer, or this
 * package's when the span names none) under one scope, each field where the contract's OTLP slots
 * put it. Runs once per batch, off the call path. `extraResource` (`OTEL_RESOURCE_ATTRIBUTES`) joins
 * each resource, under its own keys.
 */
export function encodeOtlpSpans(spans: readonly StandardTraceSpan[], extraResource?: Readonly<Record<string, string>>): EncodedBatch {
  const w = new ProtoWriter();
  for (const group of groupByResource(spans.map(standardTraceSpanToOtlpSpan))) {
    w.tag(1, LEN).fork(); // ExportTraceServiceRequest.resource_spans
    writeResource(w, 1, withExtraResource(group[0]!.resource, extraResource));
    for (const scoped of groupBy(group, scopeKey)) {
      const { scope } = scoped[0]!;
      w.tag(2, LEN).fork(); // ResourceSpans.scope_spans
      writeScope(w, 1, scope.name === "" ? instrumentationScope : scope);
      for (const s of scoped) writeSpan(w, s);
      w.join();
    }
    w.join();
  }
  const bytes = w.finish();
  return { body: bytes, count: spans.length, bytes: bytes.length };
}
