import { isSpanContextValid, trace } from "@opentelemetry/api";
import type { TraceContext } from "../../generated/index.js";
import { activeContext } from "../tracing/context-storage.js";

/** The contract's TraceContext of the span active in this async context, or `undefined` outside spans. */
export function activeTraceContext(): TraceContext | undefined {
  const span = trace.getSpan(activeContext());
  if (span === undefined) return undefined;
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return undefined;
  return { $typeName: "emp.telemetry.v1.TraceContext", traceId: sc.traceId, spanId: sc.spanId, parentSpanId: "", traceFlags: sc.traceFlags };
}
