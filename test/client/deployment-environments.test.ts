// The client constructs under each of the existing deployment's four environments (issue 15.3), every
// variable read or warned about, none silently ignored. Built from the list of their variables.
import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { knownEnvNames } from "../../runtime/config/env-table.js";
import type { ServiceType } from "../../runtime/config/service-defaults.js";

const dash0 = { DASH0_API_KEY: "auth_0123456789abcdef", DASH0_DATASET: "production" };

/** The four environments: what `createTelemetryClient(type)` sees in each. */
const environments: ReadonlyArray<{ name: string; type: ServiceType; env: Record<string, string>; expect: Record<string, unknown> }> = [
  {
    name: "API server (Dash0 direct: a metrics URL in DASH0_ENDPOINT, gRPC traces, JSON logs, no Fluent Bit)",
    type: "api",
    env: {
      ...dash0,
      SERVICE_NAME: "emp-service",
      SERVICE_VERSION: "1.8.0",
      OTEL_SERVICE_VERSION: "1.8.0",
      NODE_ENV: "production",
      MACHINE_ID: "api-service-production",
      DASH0_ENDPOINT: "https://api.us-west-2.aws.dash0.com/v1/metrics",
      DASH0_TRACES_ENDPOINT: "https://ingress.us-west-2.aws.dash0.com:4317",
      DASH0_LOGS_ENDPOINT: "https://ingress.us-west-2.aws.dash0.com/logs/json",
      OTEL_ENABLED: "true",
      FLUENT_BIT_ENABLED: "false",
      FLUENTD_HOST: "fluentd-production.up.railway.app",
      FLUENTD_PORT: "24224",
      TELEMETRY_LOGS: "false",
    },
    expect: {
      environment: "production",
      fluentd: false,
      traces: ["https://ingress.us-west-2.aws.dash0.com:4317", "grpc"],
      logs: ["https://ingress.us-west-2.aws.dash0.com/logs/json", "http/json"],
      metrics: ["https://api.us-west-2.aws.dash0.com/v1/metrics", "http/protobuf"],
      consoleOutput: false,
    },
  },
  {
    name: "webhook service (Dash0 over gRPC host:port, Fluentd beside it)",
    type: "webhook",
    env: {
      ...dash0,
      SERVICE_NAME: "emp-service",
      TELEMETRY_ENV: "production",
      NODE_ENV: "production",
      MACHINE_ID: "webhook-service-production",
      DASH0_ENDPOINT: "ingress.us-west-2.aws.dash0.com:4317",
      OTEL_ENABLED: "true",
      FLUENT_BIT_ENABLED: "true",
      FLUENTD_HOST: "fluentd.internal",
      FLUENTD_PORT: "24224",
      FLUENTD_SECURE: "false",
      LOG_TO_FILE: "false",
    },
    expect: {
      environment: "production",
      fluentd: true,
      traces: ["https://ingress.us-west-2.aws.dash0.com:4317", "grpc"],
      logs: [undefined, "grpc"],
      metrics: ["https://ingress.us-west-2.aws.dash0.com:4317", "grpc"],
      consoleOutput: true,
    },
  },
  {
    name: "GPU machine (a local collector on host.docker.internal:4317, Fluent Bit, log files)",
    type: "machine",
    env: {
      ...dash0,
      SERVICE_NAME: "emp-service",
      TELEMETRY_ENV: "production",
      MACHINE_ID: "salad-machine-7f3a",
      OTEL_COLLECTOR_ENDPOINT: "host.docker.internal:4317",
      OTEL_COLLECTOR_METRICS_ENDPOINT: "host.docker.internal:4317",
      DASH0_TRACES_ENDPOINT: "https://ingress.us-west-2.aws.dash0.com:4317",
      OTEL_ENABLED: "true",
      FLUENT_BIT_ENABLED: "true",
      FLUENTD_HOST: "host.docker.internal",
      FLUENTD_PORT: "24224",
      LOG_TO_FILE: "true",
      LOG_DIR: "/workspace/logs",
      OTEL_SERVICE_VERSION: "2.0.1",
      TELEMETRY_LOGS: "true",
    },
    expect: {
      environment: "production",
      fluentd: true,
      traces: ["http://host.docker.internal:4317", "grpc"],
      logs: [undefined, "grpc"],
      metrics: ["http://host.docker.internal:4317", "grpc"],
      consoleOutput: true,
    },
  },
  {
    name: "worker in local development (OTLP and Fluent Bit off, files only, quiet)",
    type: "worker",
    env: {
      ...dash0,
      SERVICE_NAME: "emp-service",
      NODE_ENV: "development",
      MACHINE_ID: "local-dev-machine",
      WORKER_ID: "local-dev-machine-worker-0",
      DASH0_ENDPOINT: "https://api.us-west-2.aws.dash0.com/v1/metrics",
      OTEL_ENABLED: "false",
      FLUENT_BIT_ENABLED: "false",
      TELEMETRY_LOGS: "false",
      LOG_TO_FILE: "true",
      LOG_DIR: "/tmp/emp-worker-logs",
    },
    expect: {
      environment: "development",
      fluentd: false,
      traces: [undefined, "http/protobuf"],
      logs: [undefined, "http/protobuf"],
      metrics: [undefined, "http/protobuf"],
      consoleOutput: false,
    },
  },
];

describe("the existing deployment's environments", () => {
  it.each(environments)("constructs the client: $name", async ({ type, env, expect: expected }) => {
    const client = new EmpTelemetryClient({ serviceType: type, env, handleExitSignals: false, registerGlobal: false });
    try {
      const { otlp, fluentd, service, consoleOutput, warnings } = client.config;
      expect({
        environment: service.environment,
        fluentd: fluentd.enabled,
        traces: [otlp.tracesEndpoint, otlp.signals.traces.protocol],
        logs: [otlp.logsEndpoint, otlp.signals.logs.protocol],
        metrics: [otlp.metricsEndpoint, otlp.signals.metrics.protocol],
        consoleOutput,
      }).toEqual(expected);
      // Every variable is read (in the env table) or warned about: none silently ignored.
      const ignored = Object.keys(env).filter((name) => !knownEnvNames.has(name) && !warnings.some((w) => w.key === name));
      expect(ignored).toEqual([]);
      // SERVICE_NAME=emp-service is shared by every service: one warning, records kept apart by type and machine.
      expect(warnings.filter((w) => w.key === "SERVICE_NAME")).toHaveLength(1);
      expect(client.service).toMatchObject({ name: "emp-service", machineId: env.MACHINE_ID });
    } finally {
      await client.shutdown(100);
    }
  });
});
