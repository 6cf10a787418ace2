import { describe, expect, it } from "vitest";
import { buildServiceMetadata } from "../../generated/emp/telemetry/v1/service_contract.js";
import { validateStandardMetric } from "../../generated/emp/telemetry/v1/metric_contract.js";
import { valueToPlain } from "../../generated/emp/telemetry/v1/value_contract.js";
import type { StandardMetric } from "../../generated/index.js";
import { MetricRegistry } from "../../runtime/metrics/metric-registry.js";

const service = buildServiceMetadata({ name: "api-server", type: 1, environment: "test" });

function registry(options: { maxSeriesPerInstrument?: number; maxInstruments?: number; lines?: string[] } = {}): MetricRegistry {
  return new MetricRegistry({
    service,
    maxSeriesPerInstrument: options.maxSeriesPerInstrument ?? 2000,
    maxInstruments: options.maxInstruments ?? 1000,
    onDiagnostic: (line) => options.lines?.push(line),
    now: () => 1_700_000_000_000,
  });
}

const t1 = 1_700_000_001_000_000_000n;
const t2 = 1_700_000_002_000_000_000n;

function plain(p: StandardMetric): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p.attributes).map(([k, v]) => [k, valueToPlain(v)]));
}

describe("MetricRegistry", () => {
  it("never throws on hostile input and counts every measurement it did not record, by reason", () => {
    const lines: string[] = [];
    const r = registry({ lines });
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("boom");
        },
      },
    );
    const getter = {
      get route(): string {
        throw new Error("getter");
      },
    };
    const calls: (() => void)[] = [
      () => r.counter("9starts.with.digit", 1, undefined),
      () => r.counter("", 1, undefined),
      () => r.counter(undefined as unknown as string, 1, undefined),
      () => r.counter("ok.counter", "5" as unknown as number, undefined),
      () => r.counter("ok.counter", Number.NaN, undefined),
      () => r.counter("ok.counter", Number.POSITIVE_INFINITY, undefined),
      () => r.counter("ok.counter", -1, undefined),
      () => r.histogram("ok.counter", 1, undefined),
      () => r.histogram("ok.histogram", -0.5, undefined),
      () => r.gauge("ok.gauge", Number.NEGATIVE_INFINITY, undefined),
      () => r.counter("ok.counter", 1, { nested: { no: 1 } } as never),
      () => r.counter("ok.counter", 1, getter),
      () => r.counter("ok.counter", 1, hostile),
      () =>
        r.gauge(
          {
            toString: () => {
              throw new Error("toString");
            },
          } as never,
          1,
          undefined,
        ),
      () => r.gauge(Symbol("s") as never, 1, undefined),
    ];
    for (const call of calls) expect(call).not.toThrow();
    expect(r.health().dropped).toEqual({
      invalid_name: 5,
      invalid_value: 1,
      non_finite: 3,
      negative: 2,
      kind_conflict: 1,
      invalid_attributes: 1,
      too_many_instruments: 0,
      shutdown: 0,
      internal_error: 2,
    });
    expect(r.health().droppedTotal).toBe(15);
    expect(lines.some((l) => l.includes("9starts.with.digit") && l.includes("string.pattern"))).toBe(true);
  });

  it("validates a name once: a rejected name costs no second validation and no second diagnostic", () => {
    const lines: string[] = [];
    const r = registry({ lines });
    for (let i = 0; i < 5; i++) r.counter("bad name with spaces", 1, undefined);
    expect(r.health().dropped.invalid_name).toBe(5);
    expect(lines.filter((l) => l.includes("bad name with spaces"))).toHaveLength(1);
    expect(r.health().instruments).toBe(0);
  });

  it("accepts OpenTelemetry's instrument name syntax up to 255 characters and refuses 256", () => {
    const r = registry();
    r.counter(`a${"b".repeat(254)}`, 1, undefined);
    r.counter(`a${"b".repeat(255)}`, 1, undefined);
    r.counter("http.server/request_duration-ms", 1, undefined);
    expect(r.health()).toMatchObject({ instruments: 2, dropped: { invalid_name: 1 } });
  });

  it("refuses a unit that is not printable ASCII or longer than 63 characters", () => {
    const r = registry();
    r.gauge("g.one", 1, undefined, "°C");
    r.gauge("g.two", 1, undefined, "x".repeat(64));
    r.gauge("g.three", 1, undefined, "{request}");
    expect(r.health()).toMatchObject({ instruments: 1, dropped: { invalid_name: 2 } });
  });

  it("counts new names past maxInstruments as too_many_instruments", () => {
    const r = registry({ maxInstruments: 2 });
    for (const name of ["a", "b", "c", "d"]) r.counter(name, 1, undefined);
    r.counter("a", 1, undefined);
    expect(r.health()).toMatchObject({ instruments: 2, dropped: { too_many_instruments: 2 } });
  });

  it("leaves out attributes whose value is undefined or null, and keeps lists of primitives", () => {
    const r = registry();
    r.counter("c", 1, { a: "x", gone: undefined, alsoGone: null });
    r.counter("c", 1, { a: "x" });
    r.counter("c", 1, { tags: ["x", "y"] });
    r.counter("c", 1, { tags: ["x", "y"] });
    const points = r.collect(t1, false, 0n);
    expect(points.map((p) => [plain(p), p.value])).toEqual([
      [{ a: "x" }, 2],
      [{ tags: ["x", "y"] }, 2],
    ]);
  });

  it("tells 1 from '1' and true from 'true' in attribute values", () => {
    const r = registry();
    for (const v of [1, "1", true, "true"]) r.counter("c", 1, { v });
    expect(r.health().series).toBe(4);
  });

  it("collects points that pass the contract's validator, with the service as resource and the contract version", () => {
    const r = registry();
    r.counter("c", 2, { a: 1 });
    r.gauge("g", 3.5, undefined);
    r.histogram("h", 7, undefined);
    const points = r.collect(t1, false, 0n);
    expect(points).toHaveLength(3);
    for (const p of points) expect(validateStandardMetric(p)).toEqual([]);
    expect(points.map((p) => p.service?.name)).toEqual(["api-server", "api-server", "api-server"]);
    expect(points[0]).toMatchObject({ name: "c", value: 2, temporality: 2, startTimeUnixNano: 1_700_000_000_000_000_000n, timeUnixNano: t1 });
    expect(points[1]).toMatchObject({ name: "g", value: 3.5, temporality: 0, startTimeUnixNano: 0n });
    expect(points[2]!.histogram).toMatchObject({ count: 1n, sum: 7, min: 7, max: 7 });
  });

  it("cumulative: totals keep growing from export to export", () => {
    const r = registry();
    r.counter("c", 2, undefined);
    r.collect(t1, false, 0n);
    r.counter("c", 3, undefined);
    expect(r.collect(t2, false, t1)[0]).toMatchObject({ value: 5, startTimeUnixNano: 1_700_000_000_000_000_000n });
  });

  it("delta: each export has the interval's sums and starts where the previous one ended; idle series are forgotten", () => {
    const r = registry();
    r.counter("c", 2, { k: "a" });
    r.counter("c", 1, { k: "b" });
    expect(r.collect(t1, true, 0n).map((p) => p.value)).toEqual([2, 1]);
    r.counter("c", 4, { k: "a" });
    const second = r.collect(t2, true, t1);
    expect(second.map((p) => [plain(p), p.value, p.temporality, p.startTimeUnixNano])).toEqual([[{ k: "a" }, 4, 1, t1]]);
    expect(r.health().series).toBe(0);
    expect(r.collect(t2 + 1n, true, t2)).toEqual([]);
  });

  it("delta frees cardinality: an instrument at its limit takes new attribute sets again after an export", () => {
    const r = registry({ maxSeriesPerInstrument: 2 });
    r.counter("c", 1, { u: "1" });
    r.counter("c", 1, { u: "2" });
    expect(r.collect(t1, true, 0n).map(plain)).toEqual([{ u: "1" }, { "otel.metric.overflow": true }]);
    r.counter("c", 1, { u: "2" });
    expect(r.collect(t2, true, t1).map(plain)).toEqual([{ u: "2" }]);
    expect(r.health().overflowMeasurements).toBe(1);
  });

  it("refuses an attribute set past the contract's 128 pairs, counted as invalid_attributes", () => {
    const r = registry();
    const many = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${String(i)}`, i]));
    r.counter("c", 1, many);
    r.counter("c", 1, { ["x".repeat(257)]: 1 });
    expect(r.health()).toMatchObject({ series: 0, dropped: { invalid_attributes: 2 } });
  });

  it("refuses a point whose sum grew past the largest double at collection: the validator keeps it off the wire", () => {
    const r = registry();
    r.counter("c", Number.MAX_VALUE, undefined);
    r.counter("c", Number.MAX_VALUE, undefined);
    const [p] = r.collect(t1, false, 0n);
    expect(p!.value).toBe(Number.POSITIVE_INFINITY);
    expect(validateStandardMetric(p!).map((v) => v.rule)).toEqual(["double.finite"]);
  });
});
