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

  it("reports SERVICE_NAME and OTEL_SERVICE_NAME when they differ", () => {
    const error = configErrorOf({}, { ...apiEnv, OTEL_SERVICE_NAME: "other" });
    expect(error.problems.map((problem) => problem.key)).toEqual(["SERVICE_NAME"]);
  });

  it("names the old variable when only it holds a bad value", () => {
    const error = configErrorOf({}, { ...apiEnv, FLUENTD_SECURE: "maybe" });
    expect(error.problems[0]).toMatchObject({ key: "FLUENTD_SECURE", value: "maybe", example: "FLUENTD_TLS=true" });
  });
});
