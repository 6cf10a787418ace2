/** `resolvePipelineTestOptions`: frozen defaults, every problem named at once, nothing contacted at construction. */
import { describe, expect, it } from "vitest";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { createPipelineTests } from "../../runtime/diagnostics/pipeline-tests.js";
import { pipelineTestDefaults, resolvePipelineTestOptions, type PipelineTestOptions } from "../../runtime/diagnostics/pipeline-test-options.js";
import { diagnosticsConfig } from "../helpers/diagnostics-config.js";

describe("resolvePipelineTestOptions", () => {
  it("applies frozen defaults: a 5000 ms deadline, no status URLs, tag emp.health.probe", () => {
    const resolved = resolvePipelineTestOptions();
    expect(resolved).toEqual({
      timeoutMs: 5000,
      probeTag: "emp.health.probe",
      pollIntervalMs: 100,
      fluentdMonitorUrl: undefined,
      fluentBitUrl: undefined,
      collectorUrl: undefined,
    });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(pipelineTestDefaults)).toBe(true);
    expect(resolvePipelineTestOptions()).toBe(resolved); // no allocation without options
  });

  it("keeps given values and drops a trailing slash from URLs", () => {
    const resolved = resolvePipelineTestOptions({ timeoutMs: 800, fluentdMonitorUrl: "http://fluentd:24220/", collectorUrl: "http://127.0.0.1:4320" });
    expect(resolved.timeoutMs).toBe(800);
    expect(resolved.fluentdMonitorUrl).toBe("http://fluentd:24220");
    expect(resolved.collectorUrl).toBe("http://127.0.0.1:4320");
  });

  it("names every bad or unknown option in one TelemetryConfigError", () => {
    const bad = { timeoutMs: 0, fluentBitUrl: "ftp://x", probeTag: "a b", colectorUrl: "http://x" } as unknown as PipelineTestOptions;
    let error: unknown;
    try {
      resolvePipelineTestOptions(bad);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(TelemetryConfigError);
    const message = (error as Error).message;
    for (const part of ["timeoutMs=0", 'fluentBitUrl="ftp://x"', 'probeTag="a b"', "did you mean collectorUrl?"]) expect(message).toContain(part);
  });

  it("is what createPipelineTests uses, and construction contacts nothing", () => {
    const tests = createPipelineTests(diagnosticsConfig({ fluentd: { port: 1 } }), { timeoutMs: 1234 });
    expect(tests.options.timeoutMs).toBe(1234);
    expect(() => createPipelineTests(diagnosticsConfig(), { timeoutMs: -5 })).toThrow(TelemetryConfigError);
  });
});
