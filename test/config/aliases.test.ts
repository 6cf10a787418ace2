import { describe, expect, it } from "vitest";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { apiEnv, configErrorOf } from "./config-fixtures.js";

describe("old and alternative variable names", () => {
  it("reads FLUENTD_SECURE as the old name of FLUENTD_TLS", () => {
    expect(resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_SECURE: "yes" }).fluentd.tls).toBe(true);
  });

  it("warns that FLUENTD_SECURE should be renamed", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_SECURE: "yes" });
    expect(config.warnings).toContainEqual({ key: "FLUENTD_SECURE", message: "FLUENTD_SECURE is the old name of FLUENTD_TLS; rename it to FLUENTD_TLS" });
  });

  it("reads OTEL_COLLECTOR_TRACES_ENDPOINT as the old traces endpoint, used as is", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_COLLECTOR_TRACES_ENDPOINT: "http://collector:4318/v1/traces" });
    expect(config.otlp.tracesEndpoint).toBe("http://collector:4318/v1/traces");
  });

  it("reads OTEL_SERVICE_NAME when SERVICE_NAME is not set, without a warning", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, SERVICE_NAME: undefined, OTEL_SERVICE_NAME: "otel-named" });
    expect(config.service.name).toBe("otel-named");
    expect(config.warnings).toEqual([]);
  });

  it("reads DASH0_AUTH_TOKEN as the Dash0 key", () => {
    expect(resolveTelemetryConfig({}, { ...apiEnv, DASH0_AUTH_TOKEN: "tok" }).dash0.apiKey?.reveal()).toBe("tok");
  });

  it("accepts the old and new name together when they mean the same", () => {
    expect(resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_TLS: "true", FLUENTD_SECURE: "1" }).fluentd.tls).toBe(true);
  });

  it("reports the old and new name together when they differ", () => {
    const error = configErrorOf({}, { ...apiEnv, FLUENTD_TLS: "true", FLUENTD_SECURE: "off" });
    expect(error.problems).toEqual([
      { key: "FLUENTD_TLS", value: "true", problem: 'differs from FLUENTD_SECURE="off": set only one of them', example: "FLUENTD_TLS=true" },
    ]);
  });

  it("takes OTEL_SERVICE_NAME over a different SERVICE_NAME, as OpenTelemetry does, with a warning and no error", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_SERVICE_NAME: "other" });
    expect(config.service.name).toBe("other");
    expect(config.warnings).toEqual([
      { key: "SERVICE_NAME", message: 'SERVICE_NAME="api-server" differs from OTEL_SERVICE_NAME="other": OTEL_SERVICE_NAME wins' },
    ]);
  });

  it("takes OTEL_SERVICE_VERSION over SERVICE_VERSION the same way", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, SERVICE_VERSION: "1.0.0", OTEL_SERVICE_VERSION: "1.0.1" });
    expect([config.service.version, config.warnings.map((w) => w.key)]).toEqual(["1.0.1", ["SERVICE_VERSION"]]);
  });

  it("reads NODE_ENV as the environment only when TELEMETRY_ENV is not set, never as a conflict", () => {
    expect(resolveTelemetryConfig({}, { ...apiEnv, TELEMETRY_ENV: undefined, NODE_ENV: "staging" }).service.environment).toBe("staging");
    const both = resolveTelemetryConfig({}, { ...apiEnv, NODE_ENV: "development" });
    expect([both.service.environment, both.warnings]).toEqual(["production", []]);
  });

  it("names the old variable when only it holds a bad value", () => {
    const error = configErrorOf({}, { ...apiEnv, FLUENTD_SECURE: "maybe" });
    expect(error.problems[0]).toMatchObject({ key: "FLUENTD_SECURE", value: "maybe", example: "FLUENTD_TLS=true" });
  });
});
