// Span kinds are looked up as own keys: a kind that is a name of Object.prototype is no kind.
import { type Span, SpanKind, type SpanOptions, type Tracer } from "@opentelemetry/api";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { createTraceApi, type SpanKindName } from "../../runtime/client/trace-api.js";
import { createRepairCounts } from "../../runtime/records/repair.js";

/** A tracer that records the options of each span it starts. */
function recordingTracer(): { tracer: Tracer; kinds: (SpanKind | undefined)[] } {
  const real = new BasicTracerProvider().getTracer("test");
  const kinds: (SpanKind | undefined)[] = [];
  const tracer: Tracer = {
    startSpan: (name: string, options?: SpanOptions): Span => {
      kinds.push(options?.kind);
      return real.startSpan(name, options);
    },
    startActiveSpan: real.startActiveSpan.bind(real) as Tracer["startActiveSpan"],
  };
  return { tracer, kinds };
}

describe("trace.span kind", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "nope"])("defaults %j to internal", (kind) => {
    const { tracer, kinds } = recordingTracer();
    const api = createTraceApi(tracer, createRepairCounts());
    expect(api.span("s", () => 1, { kind: kind as SpanKindName })).toBe(1);
    expect(kinds).toEqual([SpanKind.INTERNAL]);
  });

  it("keeps the known kinds", () => {
    const { tracer, kinds } = recordingTracer();
    const api = createTraceApi(tracer, createRepairCounts());
    for (const kind of ["internal", "server", "client", "producer", "consumer"] as const) api.span("s", () => 1, { kind });
    expect(kinds).toEqual([SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]);
  });
});
