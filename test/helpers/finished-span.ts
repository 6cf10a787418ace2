// An OpenTelemetry SDK span (ReadableSpan) as the FinishedSpan our span processor reads, so tests can
// hand the same spans to OpenTelemetry's exporter (an oracle) and to our encoder.
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { hrTimeToNanos } from "../../runtime/tracing/clock.js";
import type { FinishedSpan } from "../../runtime/tracing/lean-span.js";

export function finishedSpanOf(span: ReadableSpan): FinishedSpan {
  const ctx = span.spanContext();
  return {
    name: span.name,
    kind: span.kind,
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? "",
    startUnixNano: hrTimeToNanos(span.startTime),
    endUnixNano: hrTimeToNanos(span.endTime),
    status: span.status.code === 0 ? undefined : span.status,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, timeUnixNano: hrTimeToNanos(e.time), attributes: e.attributes ?? {} })),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? "" },
  };
}
