import { type Context, isSpanContextValid, type SpanContext, type TextMapGetter, type TextMapPropagator, type TextMapSetter, trace } from "@opentelemetry/api";
import { isTracingSuppressed } from "./suppress-tracing.js";
import { W3CTraceState } from "./trace-state.js";

const traceParentHeader = "traceparent";
const traceStateHeader = "tracestate";

/** `version-traceid-parentid-flags`: version ff, all-zero ids and non-hex rejected; a version 00 header has nothing after the flags. */
const traceParentPattern = /^\s?((?!ff)[\da-f]{2})-((?![0]{32})[\da-f]{32})-((?![0]{16})[\da-f]{16})-([\da-f]{2})(-.*)?\s?$/;

/** The remote span context a `traceparent` header gives, or undefined when it is invalid. */
function parseTraceParent(header: string): SpanContext | undefined {
  const m = traceParentPattern.exec(header);
  if (m === null || (m[1] === "00" && m[5])) return undefined;
  return { traceId: m[2] as string, spanId: m[3] as string, traceFlags: Number.parseInt(m[4] as string, 16), isRemote: true };
}

/**
 * W3C Trace Context (level 1) `traceparent` and `tracestate` headers, as `@opentelemetry/core`'s
 * W3CTraceContextPropagator: injects version 00 for a valid span context when tracing is not
 * suppressed; extracts a remote span context, its trace state kept.
 */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpanContext(ctx);
    if (!span || isTracingSuppressed(ctx) || !isSpanContextValid(span)) return;
    setter.set(carrier, traceParentHeader, `00-${span.traceId}-${span.spanId}-0${Number(span.traceFlags || 0).toString(16)}`);
    if (span.traceState) setter.set(carrier, traceStateHeader, span.traceState.serialize());
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, traceParentHeader);
    if (!header) return ctx;
    const traceParent = Array.isArray(header) ? header[0] : header;
    if (typeof traceParent !== "string") return ctx;
    const span = parseTraceParent(traceParent);
    if (span === undefined) return ctx;
    const state = getter.get(carrier, traceStateHeader);
    if (state) {
      const raw = Array.isArray(state) ? state.join(",") : state;
      span.traceState = new W3CTraceState(typeof raw === "string" ? raw : undefined);
    }
    return trace.setSpanContext(ctx, span);
  }

  fields(): string[] {
    return [traceParentHeader, traceStateHeader];
  }
}
