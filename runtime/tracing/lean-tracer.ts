import {
  type Attributes,
  type Context,
  type Link,
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  ROOT_CONTEXT,
  SamplingDecision,
  type Span,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import type { Sampler } from "@opentelemetry/api";
import { type FinishedSpanProcessor, LeanSpan, type SpanSettings } from "./lean-span.js";
import { newSpanId, newTraceId } from "./span-ids.js";
import { activeContext } from "./context-storage.js";
import { contextWithSpan } from "./span-in-context.js";
import { isTracingSuppressed } from "./suppress-tracing.js";

const noAttributes: Attributes = Object.freeze({});
const noLinks: Link[] = Object.freeze([]) as unknown as Link[];

/**
 * Our tracer: makes {@link LeanSpan}s, following OpenTelemetry's SDK tracer step by step — a root
 * span when asked, a non-recording span when tracing is suppressed or the sampler says not to
 * record, the parent's trace (and trace state) otherwise, the sampler's attributes added to the
 * caller's.
 */
export class LeanTracer implements Tracer {
  readonly #settings: SpanSettings;
  readonly #sampler: Sampler;

  constructor(settings: SpanSettings, sampler: Sampler) {
    this.#settings = settings;
    this.#sampler = sampler;
  }

  startSpan(name: string, options?: SpanOptions, context: Context = activeContext()): Span {
    const ctx = options?.root === true ? trace.deleteSpan(context) : context;
    // The root context holds nothing (no suppression, no parent): not asked, as most spans outside a span are.
    const atRoot = ctx === ROOT_CONTEXT;
    if (!atRoot && isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = atRoot ? undefined : trace.getSpanContext(ctx);
    const spanId = newSpanId();
    const child = parent !== undefined && isSpanContextValid(parent);
    const traceId = child ? parent.traceId : newTraceId();
    const kind = options?.kind ?? SpanKind.INTERNAL;
    const given = options?.attributes ?? noAttributes;
    const sampling = this.#sampler.shouldSample(ctx, traceId, name, kind, given, options?.links ?? noLinks);
    const traceState = sampling.traceState ?? (child ? parent.traceState : undefined);
    const traceFlags = sampling.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
    if (sampling.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext({ traceId, spanId, traceFlags, traceState });
    const span = new LeanSpan(this.#settings, name, kind, traceId, spanId, child ? parent.spanId : "", traceFlags, traceState, options?.startTime);
    if (given !== noAttributes) span.setAttributes(given);
    if (sampling.attributes !== undefined) span.setAttributes(sampling.attributes);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, a?: SpanOptions | F, b?: Context | F, c?: F): ReturnType<F> | undefined {
    const fn = (typeof a === "function" ? a : typeof b === "function" ? b : c) as F | undefined;
    if (fn === undefined) return undefined;
    const options = typeof a === "object" ? a : undefined;
    const parent = typeof b === "object" ? b : contextApi.active();
    const span = this.startSpan(name, options, parent);
    return contextApi.with(contextWithSpan(parent, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

/**
 * Our TracerProvider (registered as the global one, so spans made through `@opentelemetry/api` by
 * any library join ours): one {@link LeanTracer} per instrumentation scope, all sharing the sampler,
 * the span limits and the processor.
 */
export class LeanTracerProvider implements TracerProvider {
  readonly #tracers = new Map<string, LeanTracer>();
  readonly #sampler: Sampler;
  readonly #limits: SpanSettings["limits"];
  readonly #processor: FinishedSpanProcessor;

  constructor(processor: FinishedSpanProcessor, sampler: Sampler, limits: SpanSettings["limits"]) {
    this.#processor = processor;
    this.#sampler = sampler;
    this.#limits = limits;
  }

  getTracer(name: string, version?: string): Tracer {
    const scope = { name: typeof name === "string" ? name : "", version: typeof version === "string" ? version : "" };
    const key = `${scope.name}\u0000${scope.version}`;
    let tracer = this.#tracers.get(key);
    if (tracer === undefined) {
      tracer = new LeanTracer({ scope, limits: this.#limits, processor: this.#processor }, this.#sampler);
      this.#tracers.set(key, tracer);
    }
    return tracer;
  }

  /** Resolves when the spans ended so far are delivered or dropped (the processor's flush). */
  forceFlush(): Promise<void> {
    return this.#processor.forceFlush();
  }
}
