// Spans packed while they wait in the span queue: the same contract messages come back, in order,
// and the chunks that hold them are freed once the batch loop is past them.
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildServiceMetadata, buildStandardTraceSpan, isValidStandardTraceSpan, type StandardTraceSpan } from "../../generated/index.js";
import { encodeOtlpSpans } from "../../runtime/encoding/otlp-span-encoder.js";
import { PackedSpans, packedSpanBytes, spanMessageBytes } from "../../runtime/encoding/packed-spans.js";
import { createRepairCounts } from "../../runtime/records/repair.js";
import type { FinishedSpan } from "../../runtime/tracing/lean-span.js";
import { LeanTracerProvider } from "../../runtime/tracing/lean-tracer.js";
import { copyIdWords } from "../../runtime/tracing/span-ids.js";
import { spanToContract } from "../../runtime/tracing/span-to-contract.js";
import { limitsFromConfig, samplerFromConfig } from "../../runtime/tracing/tracer-settings.js";

const service = buildServiceMetadata({ name: "api", type: 1, environment: "test" });

/** Contract spans of our real tracer: plain, children, with attributes, events, statuses and a library's scope. */
function contractSpans(make: (tracer: Tracer, library: Tracer) => void): StandardTraceSpan[] {
  const ended: FinishedSpan[] = [];
  const provider = new LeanTracerProvider({ onEnd: (s) => void ended.push(s), forceFlush: () => Promise.resolve() }, samplerFromConfig(), limitsFromConfig());
  make(provider.getTracer("@emp/telemetry"), provider.getTracer("lib-http", "1.2.3"));
  const counts = createRepairCounts();
  return ended.map((s) => spanToContract(s, service, counts));
}

function mixedSpans(n: number): StandardTraceSpan[] {
  return contractSpans((tracer, library) => {
    for (let i = 0; i < n; i++) {
      const parent = tracer.startSpan(`job.step ${i % 7}`, { kind: SpanKind.SERVER });
      if (i % 3 === 0) {
        const child = library.startSpan("GET", { attributes: { "http.status": 200 } }, trace.setSpan(context.active(), parent));
        child.addEvent("retry", { attempt: i });
        child.setStatus({ code: SpanStatusCode.ERROR, message: `boom ${i}` });
        child.end();
      }
      if (i % 5 === 0) parent.setStatus({ code: SpanStatusCode.OK });
      parent.end();
    }
  });
}

describe("PackedSpans", () => {
  it("gives back the same contract messages, in order, across many chunks; they encode to the same OTLP bytes", () => {
    const spans = mixedSpans(3000);
    const packed = new PackedSpans(64 * 1024 * 1024, 512);
    const records = spans.map((s) => packed.pack(s));
    expect(records.every((r) => Number.isSafeInteger(r) && r >= 0 && r < 2 ** 30)).toBe(true);
    expect(packed.chunks).toBeGreaterThan(3);
    for (let at = 0; at < records.length; at += 512) {
      const batch = records.slice(at, at + 512);
      const back = packed.unpackAll(batch);
      expect(back).toEqual(spans.slice(at, at + 512));
      for (const s of back) expect(isValidStandardTraceSpan(s)).toBe(true);
      expect(encodeOtlpSpans(back).body).toEqual(encodeOtlpSpans(spans.slice(at, at + 512)).body);
    }
  });

  it("copies the id generator's bytes of its last ids and decodes the others to the same spans", () => {
    const packed = new PackedSpans(64 * 1024 * 1024, 512, copyIdWords);
    const spans: StandardTraceSpan[] = [];
    const records: number[] = [];
    for (let i = 0; i < 300; i++) {
      const span = mixedSpans(2).at(i % 2 === 0 ? -1 : 0)!; // the last made (its ids copied), or an earlier child (decoded)
      spans.push(span);
      records.push(packed.pack(span));
    }
    expect(packed.unpackAll(records)).toEqual(spans);
  });

  it("keeps any id, any 64-bit time and any kind exactly (property)", () => {
    const hexId = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)).filter((s) => !/^0+$/.test(s));
    const time = fc.bigInt({ min: 1n, max: 2n ** 64n - 1n });
    fc.assert(
      fc.property(
        hexId(32),
        hexId(16),
        fc.option(hexId(16), { nil: "" }),
        time,
        time,
        fc.integer({ min: 0, max: 5 }),
        (traceId, spanId, parentSpanId, a, b, kind) => {
          const span = buildStandardTraceSpan({ traceId, spanId, parentSpanId, name: "n", kind, service, startTimeUnixNano: a, endTimeUnixNano: b });
          const packed = new PackedSpans(1 << 20, 512);
          const record = packed.pack(span);
          expect(record).toBeGreaterThanOrEqual(0);
          expect(packed.unpackAll([record])).toEqual([span]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("declines a time past 64 bits (the caller queues the message) and passes messages through unpackAll", () => {
    const [span] = mixedSpans(1);
    const huge = buildStandardTraceSpan({ ...span!, $typeName: undefined, endTimeUnixNano: 2n ** 64n } as never);
    const packed = new PackedSpans(1 << 20, 512);
    expect(packed.pack(huge)).toBe(-1);
    const record = packed.pack(span!);
    expect(packed.unpackAll([huge, record, huge])).toEqual([huge, span, huge]);
  });

  it("frees the chunks a batch is past, keeps the batch's own records (unpacked again one by one), and refuses freed ones", () => {
    const spans = mixedSpans(4000);
    const packed = new PackedSpans(64 * 1024 * 1024, 512);
    const records = spans.map((s) => packed.pack(s));
    const chunksBefore = packed.chunks;
    const batch = records.slice(3000, 3512);
    expect(packed.unpackAll(batch)).toEqual(spans.slice(3000, 3512));
    expect(packed.chunks).toBeLessThan(chunksBefore);
    // the batch loop isolating a bad record: each alone, then the good ones together
    for (const [i, r] of batch.entries()) expect(packed.unpackAll([r])).toEqual([spans[3000 + i]]);
    expect(packed.unpackAll(batch.slice(1))).toEqual(spans.slice(3001, 3512));
    expect(packed.unpackAll(records.slice(2600, 2700))).toEqual(spans.slice(2600, 2700)); // within a batch's reach still there
    expect(() => packed.unpackAll([records[0]!])).toThrow(RangeError);
    expect(() => packed.unpackAll([records.at(-1)! + 1])).toThrow(RangeError); // a slot not packed yet
  });

  it("holds at most the queue's bound of packed records, and takes more once the batch loop is past the old ones", () => {
    const plain = mixedSpans(20).find((s) => s.events.length === 0 && Object.keys(s.attributes).length === 0)!;
    const packed = new PackedSpans(1024 * packedSpanBytes(plain), 512); // room for about 1024 records, plus a batch
    const records: number[] = [];
    for (let i = 0; records.length === i && i < 10_000; i++) {
      const r = packed.pack(plain);
      if (r >= 0) records.push(r);
    }
    expect(records.length).toBeGreaterThanOrEqual(1024);
    expect(records.length).toBeLessThanOrEqual(4 * 1024); // the bound, a batch and the chunks they end in
    expect(packed.pack(plain)).toBe(-1);
    packed.unpackAll(records.slice(-1));
    expect(packed.pack(plain)).toBeGreaterThanOrEqual(0);
  });

  it("estimates a packed span at less than half of its message", () => {
    for (const span of mixedSpans(3)) expect(packedSpanBytes(span) * 2).toBeLessThan(spanMessageBytes(span));
  });
});
