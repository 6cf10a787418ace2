// The existing deployment's variables (issue 15.3): read or warned, none silently ignored; known legacy forms are not wrong.
import { describe, expect, it } from "vitest";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { revealHeaders } from "../../runtime/config/secret.js";
import { apiEnv, configErrorOf } from "./config-fixtures.js";

const resolve = (env: Record<string, string | undefined>) => resolveTelemetryConfig({}, { ...apiEnv, ...env });
const key = { DASH0_API_KEY: "auth_test", DASH0_DATASET: "production" };

describe("Dash0 endpoints of the deployment", () => {
  it("takes a signal path in DASH0_ENDPOINT as that signal's endpoint, the base for the others, and warns", () => {
    const config = resolve({ ...key, DASH0_ENDPOINT: "https://api.us-west-2.aws.dash0.com/v1/metrics" });
    expect(config.otlp).toMatchObject({
      target: "dash0",
      metricsEndpoint: "https://api.us-west-2.aws.dash0.com/v1/metrics",
      tracesEndpoint: "https://api.us-west-2.aws.dash0.com/v1/traces",
    });
    expect(config.warnings.map((w) => w.key)).toEqual(["DASH0_ENDPOINT"]);
    expect(config.warnings[0]?.message).toContain("ends in /v1/metrics: used as the metrics endpoint");
  });

  it("takes DASH0_ENDPOINT=host:4317 as gRPC over TLS for every signal", () => {
    const { otlp } = resolve({ ...key, DASH0_ENDPOINT: "ingress.us-west-2.aws.dash0.com:4317" });
    expect([otlp.tracesEndpoint, otlp.metricsEndpoint, otlp.signals.traces.protocol, otlp.signals.logs.protocol]).toEqual([
      "https://ingress.us-west-2.aws.dash0.com:4317",
      "https://ingress.us-west-2.aws.dash0.com:4317",
      "grpc",
      "grpc",
    ]);
    expect(revealHeaders(otlp.signals.metrics.headers)).toEqual({ Authorization: "Bearer auth_test", "Dash0-Dataset": "production" });
  });

  it("uses DASH0_{TRACES,METRICS,LOGS}_ENDPOINT as is: :4317 is gRPC, …/logs/json is http/json, and logs go over OTLP", () => {
    const { otlp } = resolve({
      ...key,
      DASH0_TRACES_ENDPOINT: "https://ingress.us-west-2.aws.dash0.com:4317",
      DASH0_METRICS_ENDPOINT: "https://ingress.us-west-2.aws.dash0.com:4317",
      DASH0_LOGS_ENDPOINT: "https://ingress.us-west-2.aws.dash0.com/logs/json",
    });
    expect(otlp).toMatchObject({
      target: "dash0",
      tracesEndpoint: "https://ingress.us-west-2.aws.dash0.com:4317",
      logsEndpoint: "https://ingress.us-west-2.aws.dash0.com/logs/json",
      signals: { traces: { protocol: "grpc" }, metrics: { protocol: "grpc" }, logs: { protocol: "http/json" } },
    });
  });

  it("sends a signal with no Dash0 endpoint of its own to the same Dash0 host, never elsewhere with the key", () => {
    const { otlp } = resolve({ ...key, DASH0_LOGS_ENDPOINT: "https://ingress.us-west-2.aws.dash0.com/logs/json" });
    expect([otlp.tracesEndpoint, otlp.signals.traces.protocol]).toEqual(["https://ingress.us-west-2.aws.dash0.com/v1/traces", "http/protobuf"]);
    const grpc = resolve({ ...key, DASH0_TRACES_ENDPOINT: "ingress.us-west-2.aws.dash0.com:4317" }).otlp;
    expect([grpc.metricsEndpoint, grpc.signals.metrics.protocol]).toEqual(["https://ingress.us-west-2.aws.dash0.com:4317", "grpc"]);
  });

  it("needs the key with any Dash0 endpoint", () => {
    expect(configErrorOf({}, { ...apiEnv, DASH0_LOGS_ENDPOINT: "https://x/logs/json" }).problems[0]?.problem).toContain("when DASH0_LOGS_ENDPOINT is set");
  });

  it("warns that Dash0 endpoints are unused when a collector endpoint is the target", () => {
    const config = resolve({ ...key, OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", DASH0_TRACES_ENDPOINT: "https://d:4317" });
    expect(config.warnings).toContainEqual({
      key: "DASH0_TRACES_ENDPOINT",
      message: "DASH0_TRACES_ENDPOINT is not used: OTEL_EXPORTER_OTLP_ENDPOINT sets the OTLP target",
    });
  });
});

describe("collector endpoints of the deployment", () => {
  it("takes OTEL_COLLECTOR_ENDPOINT=host.docker.internal:4317 as gRPC in plain text, warning to rename it", () => {
    const config = resolve({ OTEL_COLLECTOR_ENDPOINT: "host.docker.internal:4317" });
    expect([config.otlp.tracesEndpoint, config.otlp.signals.traces.protocol, config.otlp.target]).toEqual([
      "http://host.docker.internal:4317",
      "grpc",
      "collector",
    ]);
    expect(config.warnings.map((w) => w.key)).toEqual(["OTEL_COLLECTOR_ENDPOINT"]);
  });

  it("takes OTEL_COLLECTOR_METRICS_ENDPOINT as the metrics endpoint", () => {
    const { otlp } = resolve({ OTEL_COLLECTOR_METRICS_ENDPOINT: "host.docker.internal:4317" });
    expect([otlp.metricsEndpoint, otlp.signals.metrics.protocol, otlp.signals.traces.protocol]).toEqual([
      "http://host.docker.internal:4317",
      "grpc",
      "http/protobuf",
    ]);
  });
});

describe("switches of the deployment", () => {
  it("OTEL_ENABLED=false: nothing over OTLP", () => {
    const { otlp } = resolve({ OTEL_ENABLED: "false", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" });
    expect([otlp.tracesEndpoint, otlp.logsEndpoint, otlp.metricsEndpoint]).toEqual([undefined, undefined, undefined]);
  });

  it("FLUENT_BIT_ENABLED=false: no Fluentd sink, logs over OTLP", () => {
    const config = resolve({ FLUENT_BIT_ENABLED: "false", FLUENTD_HOST: "fluentd" });
    expect([config.fluentd.enabled, config.otlp.logsEndpoint]).toEqual([false, "http://localhost:4318/v1/logs"]);
  });

  it("TELEMETRY_LOGS=false: no console output of ours", () => {
    expect([resolve({}).consoleOutput, resolve({ TELEMETRY_LOGS: "false" }).consoleOutput]).toEqual([true, false]);
  });

  it("LOG_TO_FILE: false turns the file sink off, true turns it on (LOG_DIR, else ./logs)", () => {
    expect(resolveTelemetryConfig({ serviceType: "machine" }, { ...apiEnv, MACHINE_ID: "m", LOG_TO_FILE: "false" }).logDir).toBeUndefined();
    expect(resolve({ LOG_TO_FILE: "true", LOG_DIR: "/var/log/emp" }).logDir).toBe("/var/log/emp");
    expect(resolve({ LOG_TO_FILE: "true" }).logDir).toBe(`${process.cwd()}/logs`);
  });

  it("warns when logs would go nowhere", () => {
    expect(resolve({ OTEL_ENABLED: "false", FLUENT_BIT_ENABLED: "false" }).warnings.map((w) => w.key)).toEqual(["logs"]);
  });

  it("still fails fast, naming every wrong value at once", () => {
    const error = configErrorOf({}, { ...apiEnv, OTEL_ENABLED: "maybe", FLUENT_BIT_ENABLED: "nope", DASH0_LOGS_ENDPOINT: "ftp://x", LOG_TO_FILE: "2" });
    expect(error.problems.map((p) => p.key).sort()).toEqual(["DASH0_LOGS_ENDPOINT", "FLUENT_BIT_ENABLED", "LOG_TO_FILE", "OTEL_ENABLED"]);
  });
});

describe("SERVICE_NAME=emp-service, set for every service", () => {
  it("is accepted with one warning that records stay apart by type and machine", () => {
    const config = resolve({ SERVICE_NAME: "emp-service" });
    expect(config.warnings.map((w) => w.key)).toEqual(["SERVICE_NAME"]);
    expect(config.warnings[0]?.message).toContain("records stay apart by emp.service.type, emp.machine.id");
  });
});
