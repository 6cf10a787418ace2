// Our TracerProvider and span against what OpenTelemetry's SDK does: parents, sampling, suppression,
// the span limits, statuses, exceptions, times and calls after end.
import { context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import { AlwaysOffSampler, type Sampler, SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import type { FinishedSpan, SpanSettings } from "../../runtime/tracing/lean-span.js";
import { LeanTracerProvider } from "../../runtime/tracing/lean-tracer.js";
import { limitsFromConfig, samplerFromConfig } from "../../runtime/tracing/tracer-settings.js";
import { ensureGlobalContext } from "../../runtime/tracing/tracing-setup.js";

ensureGlobalContext();

function setup(options: { sampler?: Sampler; limits?: Partial<SpanSettings["limits"]> } = {}): { tracer: Tracer; ended: FinishedSpan[] } {
  const ended: FinishedSpan[] = [];
  const processor = { onEnd: (s: FinishedSpan) => void ended.push(s), forceFlush: () => Promise.resolve() };
  const provider = new LeanTracerProvider(processor, options.sampler ?? samplerFromConfig(), { ...limitsFromConfig(), ...options.limits });
  return { tracer: provider.getTracer("lib", "1.2.3"), ended };
}

describe("LeanTracer", () => {
  it("makes a child in the parent's trace, a new trace for a root, and keeps the tracer's scope", () => {
    const { tracer, ended } = setup();
    const parent = tracer.startSpan("parent", { kind: SpanKind.SERVER });
    const child = tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, parent));
    const root = tracer.startSpan("root", { root: true }, trace.setSpan(ROOT_CONTEXT, parent));
    for (const s of [child, root, parent]) s.end();
    const [c, r, p] = ended;
    expect(c!.traceId).toBe(p!.traceId);
    expect(c!.parentSpanId).toBe(p!.spanId);
    expect(r!.traceId).not.toBe(p!.traceId);
    expect([p!.parentSpanId, r!.parentSpanId]).toEqual(["", ""]);
    expect(p!.kind).toBe(SpanKind.SERVER);
    expect(p!.scope).toEqual({ name: "lib", version: "1.2.3" });
    expect(p!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ended.map((s) => s.spanId)).size).toBe(3);
  });

  it("startActiveSpan makes the span active in its function, in each of its three forms", () => {
    const { tracer, ended } = setup();
    const activeAndEnd = (s: Span): boolean => {
      s.end();
      return trace.getActiveSpan() === s;
    };
    const names = [
      tracer.startActiveSpan("a", activeAndEnd),
      tracer.startActiveSpan("b", { kind: SpanKind.CLIENT }, activeAndEnd),
      tracer.startActiveSpan("c", {}, context.active(), activeAndEnd),
    ];
    expect(names).toEqual([true, true, true]);
    expect(ended.map((s) => s.name)).toEqual(["a", "b", "c"]);
  });

  it("gives a non-recording span when the sampler says not to record or tracing is suppressed; a RECORD-only span is not exported", () => {
    const off = setup({ sampler: new AlwaysOffSampler() });
    const span = off.tracer.startSpan("x");
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceFlags).toBe(0);
    span.end();
    expect(off.ended).toEqual([]);
    const on = setup();
    expect(on.tracer.startSpan("y", {}, suppressTracing(ROOT_CONTEXT)).isRecording()).toBe(false);
    const recordOnly: Sampler = { shouldSample: () => ({ decision: SamplingDecision.RECORD, attributes: { "sampler.added": 1 } }) };
    const record = setup({ sampler: recordOnly });
    const s = record.tracer.startSpan("z");
    expect(s.isRecording()).toBe(true);
    s.end();
    expect(record.ended).toEqual([]);
  });

  it("applies the span limits as OpenTelemetry does: attribute count and length, events dropping the oldest, attributes per event", () => {
    const { tracer, ended } = setup({ limits: { attributeCountLimit: 2, attributeValueLengthLimit: 3, eventCountLimit: 2, attributePerEventCountLimit: 1 } });
    const span = tracer.startSpan("limited", { attributes: { a: "abcdef", mixed: ["x", 1] as unknown as string[], b: ["xyzw", "ok"] } });
    span.setAttribute("c", "dropped").setAttribute("a", "replaced");
    span.setAttribute("bad", { nested: true } as unknown as string);
    for (const n of [1, 2, 3]) span.addEvent(`e${n}`, { first: n, second: n });
    span.end();
    const [s] = ended;
    expect(s!.attributes).toEqual({ a: "rep", b: ["xyz", "ok"] });
    expect(s!.events!.map((e) => [e.name, e.attributes])).toEqual([
      ["e2", { first: 2 }],
      ["e3", { first: 3 }],
    ]);
  });

  it("keeps OK once set, takes an ERROR message only as a string, records exceptions with the semantic attributes", () => {
    const { tracer, ended } = setup();
    const ok = tracer.startSpan("ok");
    ok.setStatus({ code: SpanStatusCode.OK });
    ok.setStatus({ code: SpanStatusCode.ERROR, message: "late" });
    ok.end();
    const failed = tracer.startSpan("failed");
    failed.setStatus({ code: SpanStatusCode.ERROR, message: 42 as unknown as string });
    failed.recordException(Object.assign(new TypeError("bad input"), { code: "E_BAD" }));
    failed.recordException("plain text");
    failed.end();
    expect(ended[0]!.status).toEqual({ code: SpanStatusCode.OK });
    expect(ended[1]!.status).toEqual({ code: SpanStatusCode.ERROR });
    const [typed, plain] = ended[1]!.events!;
    expect(typed!.attributes).toMatchObject({ "exception.type": "E_BAD", "exception.message": "bad input" });
    expect(String(typed!.attributes["exception.stacktrace"])).toContain("TypeError: bad input");
    expect(plain!.attributes).toEqual({ "exception.message": "plain text" });
  });

  it("reads times as HrTime, Date, epoch or performance milliseconds; ends once; ignores calls after end", () => {
    const { tracer, ended } = setup();
    const epochMs = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const span = tracer.startSpan("timed", { startTime: [1_767_323_045, 678_000_123] });
    span.addEvent("date", new Date(epochMs));
    span.addEvent("perf", {}, performance.now());
    span.end(epochMs + 1);
    span.end(epochMs + 5000);
    span.setAttribute("late", 1).addEvent("late").updateName("renamed");
    const [s] = ended;
    expect(ended).toHaveLength(1);
    expect(s!.startUnixNano).toBe(1_767_323_045_678_000_123n);
    expect(s!.events!.map((e) => e.name)).toEqual(["date", "perf"]);
    expect(s!.events![0]!.timeUnixNano).toBe(BigInt(epochMs) * 1_000_000n);
    const perfNs = Number(s!.events![1]!.timeUnixNano) / 1e6;
    expect(Math.abs(perfNs - Date.now())).toBeLessThan(5000);
    expect(s!.endUnixNano).toBe(BigInt(epochMs + 1) * 1_000_000n);
    expect([s!.name, s!.attributes]).toEqual(["timed", undefined]);
  });

  it("never ends before it starts, and one tracer serves each name and version", () => {
    const { tracer, ended } = setup();
    tracer.startSpan("backwards", { startTime: Date.now() + 60_000 }).end(Date.now());
    expect(ended[0]!.endUnixNano).toBe(ended[0]!.startUnixNano);
    const provider = new LeanTracerProvider({ onEnd: () => undefined, forceFlush: async () => undefined }, samplerFromConfig(), limitsFromConfig());
    expect(provider.getTracer("a", "1")).toBe(provider.getTracer("a", "1"));
    expect(provider.getTracer("a", "1")).not.toBe(provider.getTracer("a", "2"));
  });
});
