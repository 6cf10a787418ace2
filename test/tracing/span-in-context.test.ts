// contextWithSpan: a context with the span active, read and changed through @opentelemetry/api as
// the context trace.setSpan makes.
import { createContextKey, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { isTracingSuppressed, suppressTracing } from "@opentelemetry/core";
import { describe, expect, it } from "vitest";
import { contextWithSpan } from "../../runtime/tracing/span-in-context.js";

const spanOf = (id: string) => trace.wrapSpanContext({ traceId: "1".repeat(32), spanId: id.repeat(16), traceFlags: 1 });
const key = createContextKey("test key");

describe("contextWithSpan", () => {
  it("gives the span to trace.getSpan and every other value from the parent", () => {
    const parent = ROOT_CONTEXT.setValue(key, "kept");
    const ctx = contextWithSpan(parent, spanOf("a"));
    expect(trace.getSpan(ctx)?.spanContext().spanId).toBe("a".repeat(16));
    expect(ctx.getValue(key)).toBe("kept");
    expect(trace.getSpan(parent)).toBeUndefined();
  });

  it("replaces the span of a context that has one, keeping the rest; nested spans read as trace.setSpan's", () => {
    const outer = contextWithSpan(ROOT_CONTEXT.setValue(key, 1), spanOf("a"));
    const inner = contextWithSpan(outer, spanOf("b"));
    expect(trace.getSpan(inner)?.spanContext().spanId).toBe("b".repeat(16));
    expect(trace.getSpan(outer)?.spanContext().spanId).toBe("a".repeat(16));
    expect(inner.getValue(key)).toBe(1);
    expect(trace.getSpan(trace.setSpan(inner, spanOf("c")))?.spanContext().spanId).toBe("c".repeat(16));
  });

  it("keeps the span when other values are set or deleted, and loses it when the span is deleted", () => {
    const ctx = contextWithSpan(ROOT_CONTEXT.setValue(key, "x"), spanOf("a"));
    const suppressed = suppressTracing(ctx);
    expect(isTracingSuppressed(suppressed)).toBe(true);
    expect(trace.getSpan(suppressed)?.spanContext().spanId).toBe("a".repeat(16));
    const without = ctx.deleteValue(key);
    expect([without.getValue(key), trace.getSpan(without)?.spanContext().spanId]).toEqual([undefined, "a".repeat(16)]);
    const noSpan = trace.deleteSpan(ctx);
    expect([trace.getSpan(noSpan), noSpan.getValue(key)]).toEqual([undefined, "x"]);
  });
});
