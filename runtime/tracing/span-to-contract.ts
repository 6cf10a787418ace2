import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { ServiceMetadata, StandardTraceSpan } from "../../generated/index.js";
import { buildStandardTraceSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import { type RepairCounts, safeData, safeString } from "../records/index.js";
import { hrTimeToNanos } from "./clock.js";

/**
 * The contract's StandardTraceSpan of a finished OpenTelemetry span, attributed to `service`, made
 * by the generated builder. Attribute values of any shape are made safe (and the repairs counted);
 * OpenTelemetry's SpanKind (INTERNAL = 0) moves to OTLP's numbering (INTERNAL = 1). Links are not
 * part of the contract.
 */
export function spanToContract(span: ReadableSpan, service: ServiceMetadata, counts: RepairCounts): StandardTraceSpan {
  const ctx = span.spanContext();
  const start = hrTimeToNanos(span.startTime);
  const end = hrTimeToNanos(span.endTime);
  return buildStandardTraceSpan({
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? "",
    name: safeString(span.name === "" ? "(unnamed)" : span.name, counts, 256),
    kind: span.kind + 1,
    service,
    startTimeUnixNano: start,
    endTimeUnixNano: end < start ? start : end,
    status: { code: Number(span.status.code), message: safeString(span.status.message ?? "", counts, 8192) },
    attributes: safeData(span.attributes, counts),
    events: span.events.slice(0, 128).map((e) => ({
      name: safeString(e.name === "" ? "(unnamed)" : e.name, counts, 256),
      timeUnixNano: hrTimeToNanos(e.time),
      attributes: safeData(e.attributes ?? {}, counts),
    })),
  });
}
