import { describe, expect, it } from "vitest";
import { otlpSignalUrl } from "../../runtime/config/otlp-endpoints.js";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { revealHeaders } from "../../runtime/config/secret.js";
import { apiEnv } from "./config-fixtures.js";

describe("OTLP endpoints", () => {
  it("appends /v1/traces to the generic endpoint", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector:4318" });
    expect(config.otlp.tracesEndpoint).toBe("http://otel-collector:4318/v1/traces");
  });

  it("appends the signal path after exactly one slash", () => {
    expect(otlpSignalUrl("https://c/otlp/", "logs")).toBe("https://c/otlp/v1/logs");
    expect(otlpSignalUrl("https://c/otlp", "traces")).toBe("https://c/otlp/v1/traces");
  });

  it("uses the signal-specific traces endpoint as is", () => {
    const env = { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPOINT: "http://generic:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:4318/custom" };
    expect(resolveTelemetryConfig({}, env).otlp.tracesEndpoint).toBe("http://traces:4318/custom");
  });

  it("turns OTLP logs on when the logs endpoint is set and uses it as is", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "http://logs:4318/custom" });
    expect(config.otlp.logsEndpoint).toBe("http://logs:4318/custom");
  });

  it("appends /v1/logs to the generic endpoint when OTLP logs are on", () => {
    const config = resolveTelemetryConfig({ otlp: { logs: true } }, { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" });
    expect(config.otlp.logsEndpoint).toBe("http://c:4318/v1/logs");
  });

  it("leaves OTLP logs off by default, logs going to Fluentd", () => {
    const config = resolveTelemetryConfig({}, apiEnv);
    expect([config.otlp.logsEndpoint, config.fluentd.enabled]).toEqual([undefined, true]);
  });

  it("keeps logs on Fluentd when a Fluentd variable is set beside the OTLP endpoint", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", FLUENTD_HOST: "fluentd" });
    expect([config.otlp.logsEndpoint, config.fluentd.enabled]).toEqual([undefined, true]);
  });

  it("falls to the service-type default http://localhost:4318 only when nothing is configured", () => {
    expect(resolveTelemetryConfig({}, apiEnv).otlp).toMatchObject({ tracesEndpoint: "http://localhost:4318/v1/traces", target: "collector" });
  });

  it("URL-decodes OTEL_EXPORTER_OTLP_HEADERS keys and values", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=emp%20ai, authorization = Bearer%20abc%3D" });
    expect(revealHeaders(config.otlp.headers)).toEqual({ "x-tenant": "emp ai", authorization: "Bearer abc=" });
  });

  it("reads OTEL_EXPORTER_OTLP_COMPRESSION=none as gzip off", () => {
    expect(resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_COMPRESSION: "none" }).otlp.gzip).toBe(false);
  });

  it("exports no traces when the option turns them off", () => {
    expect(resolveTelemetryConfig({ otlp: { traces: false } }, apiEnv).otlp.tracesEndpoint).toBeUndefined();
  });
});
