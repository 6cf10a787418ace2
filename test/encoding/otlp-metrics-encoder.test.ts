// The OTLP metrics encoder's bytes, decoded by protobufjs from the real OTLP .proto files.
import { describe, expect, it } from "vitest";
import { buildHistogramSummary, buildStandardMetric } from "../../generated/emp/telemetry/v1/metric_contract.js";
import { buildServiceMetadata } from "../../generated/emp/telemetry/v1/service_contract.js";
import { valueFromPlain } from "../../generated/emp/telemetry/v1/value_contract.js";
import type { StandardMetric } from "../../generated/index.js";
import { encodeOtlpMetrics } from "../../runtime/encoding/otlp-metrics-encoder.js";
import { decodeOtlpMetrics } from "../helpers/otlp-metrics-decoder.js";

const api = buildServiceMetadata({ name: "api-server", type: 1, environment: "prod", version: "1.2.3" });
const worker = buildServiceMetadata({ name: "worker", type: 4, environment: "prod", workerId: "w-1", machineId: "m-1" });

type PointInit = Pick<StandardMetric, "name" | "kind"> &
  Partial<Pick<StandardMetric, "temporality" | "value" | "startTimeUnixNano" | "unit" | "service" | "histogram">>;

function point(init: PointInit, attributes: Record<string, unknown> = {}): StandardMetric {
  return buildStandardMetric({
    service: api,
    timeUnixNano: 1_700_000_000_000_000_000n,
    ...init,
    attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, valueFromPlain(v)!])),
  });
}

describe("encodeOtlpMetrics", () => {
  it("groups points by service (resource) and by instrument (Metric), keeping their order", () => {
    const batch = encodeOtlpMetrics([
      point({ name: "c", kind: 1, temporality: 2, value: 1, startTimeUnixNano: 1n, unit: "{request}" }, { route: "/a" }),
      point({ name: "g", kind: 2, value: -2.5, service: worker }),
      point({ name: "c", kind: 1, temporality: 2, value: 4, startTimeUnixNano: 1n, unit: "{request}" }, { route: "/b" }),
    ]);
    expect(batch.count).toBe(3);
    expect(batch.bytes).toBe(batch.body.length);
    const metrics = decodeOtlpMetrics(batch.body);
    expect(metrics.map((m) => [m.resource["service.name"], m.name, m.points.length])).toEqual([
      ["api-server", "c", 2],
      ["worker", "g", 1],
    ]);
    expect(metrics[0]).toMatchObject({ kind: "sum", isMonotonic: true, temporality: 2, unit: "{request}", scope: "@emp/telemetry" });
    expect(metrics[0]!.resource).toMatchObject({ "service.version": "1.2.3", "emp.service.type": "api" });
    expect(metrics[0]!.points.map((p) => [p.attributes.route, p.asDouble, p.startTimeUnixNano])).toEqual([
      ["/a", 1, 1],
      ["/b", 4, 1],
    ]);
    expect(metrics[1]).toMatchObject({ kind: "gauge", resource: { "emp.worker.id": "w-1" }, points: [{ asDouble: -2.5, startTimeUnixNano: 0 }] });
  });

  it("writes a histogram's count, sum, min, max, bounds and bucket counts, and its temporality", () => {
    const histogram = buildHistogramSummary({ count: 3n, sum: 30, min: 1, max: 20, explicitBounds: [0, 10], bucketCounts: [0n, 2n, 1n] });
    const [m] = decodeOtlpMetrics(encodeOtlpMetrics([point({ name: "h", kind: 3, temporality: 1, histogram, unit: "ms" }, { ok: true })]).body);
    expect(m).toMatchObject({ kind: "histogram", temporality: 1, unit: "ms" });
    expect(m!.points[0]).toMatchObject({ count: 3, sum: 30, min: 1, max: 20, explicitBounds: [0, 10], bucketCounts: [0, 2, 1], attributes: { ok: true } });
  });

  it("encodes an empty batch as an empty request", () => {
    expect(encodeOtlpMetrics([]).body).toHaveLength(0);
  });
});
