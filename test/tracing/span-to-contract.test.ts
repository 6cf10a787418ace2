// Finished spans → the contract's StandardTraceSpan, with our real TracerProvider.
import { SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { buildServiceMetadata, isValidStandardTraceSpan } from "../../generated/index.js";
import { createRepairCounts } from "../../runtime/records/repair.js";
import type { FinishedSpan } from "../../runtime/tracing/lean-span.js";
import { LeanTracerProvider } from "../../runtime/tracing/lean-tracer.js";
import { spanToContract } from "../../runtime/tracing/span-to-contract.js";
import { limitsFromConfig, samplerFromConfig } from "../../runtime/tracing/tracer-settings.js";

function finishedSpans(make: (tracer: Tracer) => void): FinishedSpan[] {
  const ended: FinishedSpan[] = [];
  const collect = { onEnd: (s: FinishedSpan) => void ended.push(s), forceFlush: () => Promise.resolve() };
  make(new LeanTracerProvider(collect, samplerFromConfig(), limitsFromConfig()).getTracer("test"));
  return ended;
}

const service = buildServiceMetadata({ name: "api", type: 1, environment: "test" });

describe("spanToContract", () => {
  it("shares the frozen empty attributes, events and message-less statuses between spans, and builds the rest", () => {
    const [plain, other, rich] = finishedSpans((tracer) => {
      tracer.startSpan("a").end();
      tracer.startSpan("b").end();
      const s = tracer.startSpan("c", { attributes: { "emp.job.id": "job-1" } });
      s.addEvent("step", { n: 1 });
      s.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
      s.end();
    });
    const counts = createRepairCounts();
    const [a, b, c] = [plain!, other!, rich!].map((s) => spanToContract(s, service, counts));
    expect(a!.attributes).toBe(b!.attributes);
    expect(Object.isFrozen(a!.attributes) && Object.isFrozen(a!.events) && Object.isFrozen(a!.status)).toBe(true);
    expect(a!.status).toBe(b!.status);
    expect(a!.status).toMatchObject({ code: 0, message: "" });
    expect(c!.status).toMatchObject({ code: 2, message: "boom" });
    expect(Object.keys(c!.attributes)).toEqual(["emp.job.id"]);
    expect(c!.events.map((e) => e.name)).toEqual(["step"]);
    for (const s of [a!, b!, c!]) expect(isValidStandardTraceSpan(s)).toBe(true);
    expect(c!.endTimeUnixNano >= c!.startTimeUnixNano).toBe(true);
  });

  it("takes a kind that is no OpenTelemetry SpanKind (a string, __proto__, out of range) as internal, counted", () => {
    const spans = finishedSpans((tracer) => {
      for (const kind of ["__proto__", "toString", 7, -1, 1.5, Number.NaN]) tracer.startSpan("k", { kind: kind as unknown as SpanKind }).end();
      tracer.startSpan("server", { kind: SpanKind.SERVER }).end();
    });
    const counts = createRepairCounts();
    const contract = spans.map((s) => spanToContract(s, service, counts));
    expect(contract.map((s) => s.kind)).toEqual([1, 1, 1, 1, 1, 1, 2]);
    expect(contract.every((s) => isValidStandardTraceSpan(s))).toBe(true);
    expect(counts.droppedValues).toBe(6);
  });
});
