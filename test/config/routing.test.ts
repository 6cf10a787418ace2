// The README's routing table, row by row: which signal goes where for each combination of variables.
import { describe, expect, it } from "vitest";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { apiEnv } from "./config-fixtures.js";

/** Where each signal goes: Fluentd on?, OTLP logs, traces, metrics endpoints, OTLP target. */
function route(env: Record<string, string>) {
  const c = resolveTelemetryConfig({}, { ...apiEnv, ...env });
  return { fluentd: c.fluentd.enabled, logs: c.otlp.logsEndpoint, traces: c.otlp.tracesEndpoint, metrics: c.otlp.metricsEndpoint, target: c.otlp.target };
}

const local = { traces: "http://localhost:4318/v1/traces", metrics: "http://localhost:4318/v1/metrics" };
const dash0 = { DASH0_ENDPOINT: "https://ingress.eu-west-1.aws.dash0.com", DASH0_API_KEY: "auth_k" };

describe("routing", () => {
  it("nothing set: logs to Fluentd on localhost, traces and metrics to localhost:4318", () => {
    expect(route({})).toEqual({ fluentd: true, logs: undefined, ...local, target: "collector" });
  });

  it("an OTLP endpoint, no Fluentd variable: logs over OTLP, no Fluentd sink", () => {
    expect(route({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })).toMatchObject({ fluentd: false, logs: "http://c:4318/v1/logs" });
  });

  it("only an OTLP protocol, no Fluentd variable: the same, to localhost (:4317 for gRPC)", () => {
    expect(route({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toMatchObject({ fluentd: false, logs: "http://localhost:4317", traces: "http://localhost:4317" });
  });

  it("an OTLP endpoint and a Fluentd variable: logs to Fluentd only", () => {
    expect(route({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", FLUENTD_PORT: "24225" })).toMatchObject({ fluentd: true, logs: undefined });
  });

  it("a logs endpoint (or OTEL_LOGS_EXPORTER=otlp) with Fluentd: logs both ways", () => {
    expect(route({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "http://c:4318/v1/logs", FLUENTD_HOST: "f" })).toMatchObject({
      fluentd: true,
      logs: "http://c:4318/v1/logs",
    });
    expect(route({ OTEL_LOGS_EXPORTER: "otlp" })).toMatchObject({ fluentd: true, logs: "http://localhost:4318/v1/logs" });
  });

  it("Dash0 endpoint and key, no collector endpoint: Dash0 is the OTLP target, logs included", () => {
    expect(route(dash0)).toMatchObject({ fluentd: false, logs: "https://ingress.eu-west-1.aws.dash0.com/v1/logs", target: "dash0" });
  });

  it("a collector endpoint beside Dash0's: the collector is the target", () => {
    expect(route({ ...dash0, OTEL_COLLECTOR_ENDPOINT: "host.docker.internal:4317" })).toMatchObject({
      target: "collector",
      traces: "http://host.docker.internal:4317",
    });
  });

  it("FLUENT_BIT_ENABLED=false: logs over OTLP", () => {
    expect(route({ FLUENT_BIT_ENABLED: "false" })).toEqual({ fluentd: false, logs: "http://localhost:4318/v1/logs", ...local, target: "collector" });
  });

  it("OTEL_ENABLED=false: nothing over OTLP, logs to Fluentd", () => {
    expect(route({ OTEL_ENABLED: "false", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", FLUENTD_HOST: "f" })).toEqual({
      fluentd: true,
      logs: undefined,
      traces: undefined,
      metrics: undefined,
      target: "collector",
    });
  });

  it("OTEL_SDK_DISABLED=true: nothing anywhere", () => {
    expect(route({ OTEL_SDK_DISABLED: "true", FLUENTD_HOST: "f" })).toEqual({
      fluentd: false,
      logs: undefined,
      traces: undefined,
      metrics: undefined,
      target: "collector",
    });
  });
});
