import { type Attributes, type Context, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import type { RepairCounts } from "../records/repair.js";
import { activeContext, withActiveContext } from "../tracing/context-storage.js";
import { contextWithSpan } from "../tracing/span-in-context.js";
import { toOtelAttributes } from "./otel-attributes.js";

/** Role of a span, as OpenTelemetry's SpanKind. */
export type SpanKindName = "internal" | "server" | "client" | "producer" | "consumer";

const kinds: Readonly<Record<SpanKindName, SpanKind>> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/** The SpanKind of a kind name; internal for anything else, `"__proto__"` and `"toString"` included (own keys only). */
function spanKindOf(name: unknown): SpanKind {
  return typeof name === "string" && Object.hasOwn(kinds, name) ? kinds[name as SpanKindName] : SpanKind.INTERNAL;
}

/** Options of `trace.span`. */
export interface SpanOptions {
  /** Attributes of the span (contract keys such as `emp.job.id`, or the service's own). */
  attributes?: Record<string, unknown>;
  /** Role of the span. Default `internal`. */
  kind?: SpanKindName;
}

/** The client's tracing API. */
export interface TraceApi {
  /**
   * Runs `fn` in a new span, child of the active one (async context), and ends it when `fn` returns
   * or its promise settles: duration recorded, status error and an exception event when it throws
   * or rejects, and the same error rethrown. Works for sync and async functions.
   */
  span<T>(name: string, fn: (span: Span) => T, options?: SpanOptions): T;
  /** An event on the active span; outside any span, a zero-length span of that name. Never throws. */
  event(name: string, attributes?: Record<string, unknown>): void;
  /** The OpenTelemetry tracer behind this API, for code that wants the full OpenTelemetry API. */
  readonly tracer: Tracer;
}

/** Records an error on a span the way OpenTelemetry's semantic conventions say. */
export function failSpan(span: Span, error: unknown): void {
  try {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  } catch {
    // a span that cannot record is not our caller's problem
  }
}

/** Runs `fn(span)` and ends the span when it returns or settles; errors are recorded and rethrown. */
export function runInSpan<T>(span: Span, fn: (span: Span) => T): T {
  let result: T;
  try {
    result = fn(span);
  } catch (error: unknown) {
    failSpan(span, error);
    span.end();
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** Whether `data` is a plain object whose values are all strings, finite numbers or booleans: span attributes as it is. */
function isFlatAttributes(data: Record<string, unknown>): data is Attributes {
  try {
    if (Object.getPrototypeOf(data) !== Object.prototype) return false;
    for (const key in data) {
      const v = data[key];
      if (!(typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)))) return false;
    }
    return true;
  } catch {
    return false; // a throwing getter: the careful path makes it safe
  }
}

/** Options of a span without attributes, one per kind name (no object per call). */
const plainOptions = new Map<SpanKind, { readonly kind: SpanKind }>(Object.values(kinds).map((kind) => [kind, Object.freeze({ kind })]));

/** Creates the tracing API over a tracer. */
export function createTraceApi(tracer: Tracer, counts: RepairCounts): TraceApi {
  const attributesOf = (a: Record<string, unknown> | undefined): Attributes | undefined =>
    a === undefined ? undefined : isFlatAttributes(a) ? a : toOtelAttributes(a, counts);
  return {
    tracer,
    span<T>(name: string, fn: (span: Span) => T, options?: SpanOptions): T {
      let span: Span;
      let parent: Context;
      try {
        parent = activeContext(); // read once, for the tracer and for the span's own context
        if (options === undefined) {
          span = tracer.startSpan(name, undefined, parent); // internal, no attributes
        } else {
          const kind = options.kind === undefined ? SpanKind.INTERNAL : spanKindOf(options.kind);
          const attributes = attributesOf(options.attributes);
          span = tracer.startSpan(name, attributes === undefined ? plainOptions.get(kind) : { attributes, kind }, parent);
        }
      } catch {
        return fn(trace.wrapSpanContext({ traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 0 }));
      }
      return withActiveContext(contextWithSpan(parent, span), runInSpan<T>, span, fn);
    },
    event(name, attributes) {
      try {
        const active = trace.getActiveSpan();
        const attrs = attributesOf(attributes);
        if (active?.isRecording()) {
          active.addEvent(name, attrs);
          return;
        }
        const now = Date.now();
        tracer.startSpan(name, { attributes: attrs, startTime: now }).end(now);
      } catch {
        counts.droppedValues++;
      }
    },
  };
}
