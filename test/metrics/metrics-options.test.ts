import { describe, expect, it } from "vitest";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { metricsDefaults, resolveMetricsOptions } from "../../runtime/metrics/metrics-options.js";

describe("resolveMetricsOptions", () => {
  it("applies OpenTelemetry's defaults: 60 s interval, 30 s timeout, cumulative, 2000 series", () => {
    expect(resolveMetricsOptions()).toEqual({ ...metricsDefaults });
    expect(metricsDefaults).toMatchObject({ exportIntervalMs: 60_000, exportTimeoutMs: 30_000, temporality: "cumulative", maxSeriesPerInstrument: 2000 });
  });

  it("names every bad option at once", () => {
    let error: unknown;
    try {
      resolveMetricsOptions({
        exportIntervalMs: 0,
        temporality: "lowmemory" as never,
        maxSeriesPerInstrument: 1.5,
        exportTimeoutMS: 5,
      } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TelemetryConfigError);
    const message = (error as Error).message;
    for (const key of ["metrics.exportIntervalMs", "metrics.temporality", "metrics.maxSeriesPerInstrument", "metrics.exportTimeoutMS"]) {
      expect(message).toContain(key);
    }
  });
});
