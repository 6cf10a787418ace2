import { describe, expect, it } from "vitest";
import { damerauLevenshteinDistance, findMisspelledEnvNames, hasSameLetters } from "../../runtime/config/did-you-mean.js";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { apiEnv } from "./config-fixtures.js";

const warningFor = (name: string): string | undefined => findMisspelledEnvNames({ [name]: "x" })[0]?.message;

describe("misspelled variable warnings", () => {
  it.each([
    ["FLUENTD_HSOT", "FLUENTD_HSOT is not read by @emp/telemetry; did you mean FLUENTD_HOST?"],
    ["OTEL_EXPORTER_OTLP_ENDPIONT", "OTEL_EXPORTER_OTLP_ENDPOINT"],
    ["OTEL_EXPORTER_OTLP_TRACE_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"],
    ["DASH0_APIKEY", "DASH0_API_KEY"],
    ["SERVICE_NAM", "SERVICE_NAME"],
    ["TELEMETRY_DEBGU", "TELEMETRY_DEBUG"],
    ["MACHINE_DI", "MACHINE_ID"],
    ["WORKER_IDD", "WORKER_ID"],
    ["LOG_DIRS", "LOG_DIR"],
    ["FLUENTD_TSL", "FLUENTD_TLS"],
  ])("suggests the right name for %s", (name, expected) => {
    expect(warningFor(name)).toContain(expected);
  });

  it("says names are case-sensitive for a lower-case variable", () => {
    expect(warningFor("fluentd_host")).toBe("fluentd_host is not read by @emp/telemetry (names are case-sensitive); did you mean FLUENTD_HOST?");
  });

  it("suggests a variable with the same letters in another order", () => {
    expect(warningFor("TELEMETRY_VNE")).toContain("did you mean TELEMETRY_ENV?");
  });

  it.each([
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_BSP_MAX_QUEUE_SIZE",
    "OTEL_BLRP_SCHEDULE_DELAY",
    "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
    "OTEL_TRACES_SAMPLER",
  ])("does not warn for the standard OTel variable %s", (name) => {
    expect(findMisspelledEnvNames({ [name]: "x" })).toEqual([]);
  });

  it.each(["SERVICE_PORT", "LOG_LEVEL", "WORKER_CONCURRENCY", "PATH", "NODE_ENV"])("does not warn for %s, which is no near miss", (name) => {
    expect(findMisspelledEnvNames({ [name]: "x" })).toEqual([]);
  });

  it("puts the warnings in config.warnings instead of failing", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPIONT: "http://collector:4318" });
    expect(config.warnings).toEqual([
      { key: "OTEL_EXPORTER_OTLP_ENDPIONT", message: "OTEL_EXPORTER_OTLP_ENDPIONT is not read by @emp/telemetry; did you mean OTEL_EXPORTER_OTLP_ENDPOINT?" },
    ]);
  });
});

describe("damerauLevenshteinDistance", () => {
  it("counts a swap of adjacent characters as one edit", () => {
    expect(damerauLevenshteinDistance("HSOT", "HOST")).toBe(1);
  });

  it("counts insertions, deletions and substitutions", () => {
    expect(damerauLevenshteinDistance("kitten", "sitting")).toBe(3);
  });

  it("is zero for equal strings", () => {
    expect(damerauLevenshteinDistance("LOG_DIR", "LOG_DIR")).toBe(0);
  });
});

describe("hasSameLetters", () => {
  it("is true for an anagram of the same length", () => {
    expect(hasSameLetters("TELEMETRY_VNE", "TELEMETRY_ENV")).toBe(true);
  });

  it("is false for different letters", () => {
    expect(hasSameLetters("LOG_DIR", "LOG_DIE")).toBe(false);
  });
});
