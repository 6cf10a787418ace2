// Our aggregation agrees with @opentelemetry/sdk-metrics' on the same measurements: sums, last
// values, histogram counts, sums, min, max and buckets (OpenTelemetry's default boundaries), per
// attribute set, in both temporalities; and overflow goes to `otel.metric.overflow` as the SDK's does.
import { AggregationTemporality, type DataPoint, type Histogram, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildServiceMetadata } from "../../generated/emp/telemetry/v1/service_contract.js";
import { valueToPlain } from "../../generated/emp/telemetry/v1/value_contract.js";
import type { StandardMetric } from "../../generated/index.js";
import { MetricRegistry } from "../../runtime/metrics/metric-registry.js";

class PullReader extends MetricReader {
  constructor(temporality: AggregationTemporality, cardinalityLimit?: number) {
    super({
      aggregationTemporalitySelector: () => temporality,
      ...(cardinalityLimit === undefined ? {} : { cardinalitySelector: () => cardinalityLimit }),
    });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

type Measurement = { kind: "counter" | "gauge" | "histogram"; value: number; route: string };

const measurement = fc.record({
  kind: fc.constantFrom("counter" as const, "gauge" as const, "histogram" as const),
  value: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.double({ min: 0, max: 20_000, noNaN: true }), fc.constantFrom(0, 5, 10, 25, 10_000)),
  route: fc.constantFrom("/a", "/b", "/c"),
});

/** What a point says, keyed by instrument and attribute set: comparable across both sides. */
type Summary = Record<string, unknown>;

function keyOf(name: string, attributes: Record<string, unknown>): string {
  return `${name} ${JSON.stringify(Object.fromEntries(Object.entries(attributes).sort()))}`;
}

async function sdkSide(measurements: readonly Measurement[][], temporality: AggregationTemporality, limit?: number): Promise<Summary[]> {
  const reader = new PullReader(temporality, limit);
  const meter = new MeterProvider({ readers: [reader] }).getMeter("agreement");
  const instruments = { counter: meter.createCounter("c"), gauge: meter.createGauge("g"), histogram: meter.createHistogram("h") };
  const out: Summary[] = [];
  for (const interval of measurements) {
    for (const m of interval) {
      if (m.kind === "counter") instruments.counter.add(m.value, { route: m.route });
      else if (m.kind === "gauge") instruments.gauge.record(m.value, { route: m.route });
      else instruments.histogram.record(m.value, { route: m.route });
    }
    const { resourceMetrics } = await reader.collect();
    const summary: Summary = {};
    for (const sm of resourceMetrics.scopeMetrics)
      for (const metric of sm.metrics)
        for (const p of metric.dataPoints as DataPoint<number | Histogram>[]) {
          const v = p.value;
          summary[keyOf(metric.descriptor.name, p.attributes)] =
            typeof v === "number" ? v : { count: v.count, sum: v.sum, min: v.min, max: v.max, buckets: v.buckets.counts };
        }
    out.push(summary);
  }
  return out;
}

function ourSide(measurements: readonly Measurement[][], delta: boolean, limit = 2000): Summary[] {
  const r = new MetricRegistry({ service: buildServiceMetadata({ name: "x", type: 1, environment: "t" }), maxSeriesPerInstrument: limit, maxInstruments: 10 });
  const out: Summary[] = [];
  let t = 1_000_000_000n;
  for (const interval of measurements) {
    for (const m of interval) {
      const name = m.kind === "counter" ? "c" : m.kind === "gauge" ? "g" : "h";
      r[m.kind](name, m.value, { route: m.route });
    }
    const summary: Summary = {};
    for (const p of r.collect((t += 1_000_000_000n), delta, t - 1_000_000_000n)) summary[keyOf(p.name, attributesOf(p))] = pointValue(p);
    out.push(summary);
  }
  return out;
}

function attributesOf(p: StandardMetric): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p.attributes).map(([k, v]) => [k, valueToPlain(v)]));
}

function pointValue(p: StandardMetric): unknown {
  const h = p.histogram;
  if (h === undefined) return p.value;
  return { count: Number(h.count), sum: h.sum, min: h.min, max: h.max, buckets: h.bucketCounts.map(Number) };
}

/**
 * Numbers compared to 12 significant digits: a cumulative SDK sum adds each interval's delta to the
 * total, ours adds each measurement, so the last bit of a sum of doubles may differ.
 */
function rounded(x: unknown): unknown {
  if (typeof x === "number") return Number(x.toPrecision(12));
  if (Array.isArray(x)) return x.map(rounded);
  if (typeof x === "object" && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)]));
  return x;
}

function expectAgreement(ours: Summary[], theirs: Summary[]): void {
  expect(ours.map((s) => Object.keys(s).sort())).toEqual(theirs.map((s) => Object.keys(s).sort()));
  expect(rounded(ours)).toEqual(rounded(theirs));
}

describe("aggregation agrees with @opentelemetry/sdk-metrics", () => {
  it("cumulative, over several collections", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(measurement, { maxLength: 40 }), { minLength: 1, maxLength: 4 }), async (intervals) => {
        expectAgreement(ourSide(intervals, false), await sdkSide(intervals, AggregationTemporality.CUMULATIVE));
      }),
      { numRuns: 60 },
    );
  });

  it("delta, over several collections (idle series give no point)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(measurement, { maxLength: 40 }), { minLength: 1, maxLength: 4 }), async (intervals) => {
        expectAgreement(ourSide(intervals, true), await sdkSide(intervals, AggregationTemporality.DELTA));
      }),
      { numRuns: 60 },
    );
  });

  it("puts attribute sets past the cardinality limit into the otel.metric.overflow series, as the SDK does", async () => {
    const intervals: Measurement[][] = [["/a", "/b", "/c", "/a", "/c"].map((route) => ({ kind: "counter", value: 1, route }))];
    const theirs = await sdkSide(intervals, AggregationTemporality.CUMULATIVE, 3);
    expect(ourSide(intervals, false, 3)).toEqual(theirs);
    expect(theirs[0]).toEqual({ 'c {"route":"/a"}': 2, 'c {"route":"/b"}': 1, 'c {"otel.metric.overflow":true}': 2 });
  });
});
