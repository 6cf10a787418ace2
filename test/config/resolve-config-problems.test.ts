import { describe, expect, it } from "vitest";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { TelemetryError } from "../../runtime/errors/telemetry-error.js";
import type { TelemetryConfigOptions } from "../../runtime/config/telemetry-config.js";
import { apiEnv, configErrorOf } from "./config-fixtures.js";

type Case = [title: string, env: Record<string, string | undefined>, line: string, options?: TelemetryConfigOptions];

const cases: Case[] = [
  [
    "SERVICE_NAME is missing",
    { SERVICE_NAME: undefined },
    "- SERVICE_NAME (not set): is required for every service (alternatively: OTEL_SERVICE_NAME, option serviceName) (e.g. SERVICE_NAME=api-server)",
  ],
  [
    "SERVICE_TYPE is missing",
    { SERVICE_TYPE: undefined },
    "- SERVICE_TYPE (not set): is required to pick the service defaults (alternatively: option serviceType) (e.g. SERVICE_TYPE=api)",
  ],
  [
    "TELEMETRY_ENV is missing",
    { TELEMETRY_ENV: undefined },
    "- TELEMETRY_ENV (not set): is required for every service (alternatively: NODE_ENV, option environment) (e.g. TELEMETRY_ENV=production)",
  ],
  [
    "TELEMETRY_ENV is empty",
    { TELEMETRY_ENV: "  " },
    "- TELEMETRY_ENV (not set): is required for every service (alternatively: NODE_ENV, option environment) (e.g. TELEMETRY_ENV=production)",
  ],
  [
    "MACHINE_ID is missing on a machine",
    { SERVICE_TYPE: "machine" },
    '- MACHINE_ID (not set): is required for service type "machine" (alternatively: option machineId) (e.g. MACHINE_ID=gpu-machine-01)',
  ],
  [
    "WORKER_ID is missing on a worker",
    { SERVICE_TYPE: "worker", MACHINE_ID: "m1" },
    '- WORKER_ID (not set): is required for service type "worker" (alternatively: option workerId) (e.g. WORKER_ID=gpu-machine-01-worker-0)',
  ],
  [
    "DASH0_API_KEY is missing beside DASH0_ENDPOINT",
    { DASH0_ENDPOINT: "https://ingress.eu-west-1.aws.dash0.com" },
    "- DASH0_API_KEY (not set): is required when DASH0_ENDPOINT is set (alternatively: DASH0_AUTH_TOKEN, option dash0.apiKey) " +
      "(e.g. DASH0_API_KEY=auth_0123456789abcdef)",
  ],
  ["SERVICE_TYPE is not a known type", { SERVICE_TYPE: "cron" }, '- SERVICE_TYPE="cron": must be one of api, webhook, machine, worker (e.g. SERVICE_TYPE=api)'],
  [
    "SERVICE_NAME has a space",
    { SERVICE_NAME: "api server" },
    `- SERVICE_NAME="api server": must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit (e.g. SERVICE_NAME=api-server)`,
  ],
  ["FLUENTD_PORT is zero", { FLUENTD_PORT: "0" }, '- FLUENTD_PORT="0": must be an integer from 1 to 65535 (e.g. FLUENTD_PORT=24224)'],
  ["FLUENTD_PORT is above 65535", { FLUENTD_PORT: "65536" }, '- FLUENTD_PORT="65536": must be an integer from 1 to 65535 (e.g. FLUENTD_PORT=24224)'],
  ["FLUENTD_PORT is not an integer", { FLUENTD_PORT: "24224.5" }, '- FLUENTD_PORT="24224.5": must be an integer from 1 to 65535 (e.g. FLUENTD_PORT=24224)'],
  [
    "FLUENTD_PROTOCOL is neither forward nor http",
    { FLUENTD_PROTOCOL: "udp" },
    '- FLUENTD_PROTOCOL="udp": must be one of forward, http (e.g. FLUENTD_PROTOCOL=forward)',
  ],
  ["FLUENTD_TLS is not a boolean", { FLUENTD_TLS: "maybe" }, '- FLUENTD_TLS="maybe": must be true or false (also 1/0, yes/no, on/off) (e.g. FLUENTD_TLS=true)'],
  [
    "FLUENTD_HOST is a URL",
    { FLUENTD_HOST: "http://fluentd" },
    '- FLUENTD_HOST="http://fluentd": must be a host name, not a URL: drop the scheme (e.g. FLUENTD_HOST=fluentd.internal)',
  ],
  [
    "FLUENTD_HOST carries a port",
    { FLUENTD_HOST: "fluentd:24224" },
    '- FLUENTD_HOST="fluentd:24224": must be a host name without a port: put the port in the port setting (e.g. FLUENTD_HOST=fluentd.internal)',
  ],
  [
    "OTEL_EXPORTER_OTLP_ENDPOINT is not a URL",
    { OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector/4318" },
    '- OTEL_EXPORTER_OTLP_ENDPOINT="otel-collector/4318": must be an http:// or https:// URL, or host:port for gRPC ' +
      "(e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318)",
  ],
  [
    "OTEL_EXPORTER_OTLP_ENDPOINT is not http(s)",
    { OTEL_EXPORTER_OTLP_ENDPOINT: "grpc://otel-collector:4317" },
    '- OTEL_EXPORTER_OTLP_ENDPOINT="grpc://otel-collector:4317": must be an http:// or https:// URL, or host:port for gRPC ' +
      "(e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318)",
  ],
  [
    "OTEL_EXPORTER_OTLP_ENDPOINT already ends in a signal path",
    { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/v1/traces" },
    '- OTEL_EXPORTER_OTLP_ENDPOINT="http://c:4318/v1/traces": is a base URL and must not end in /v1/traces: ' +
      "the signal path is appended (use the signal-specific endpoint for a full URL) (e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318)",
  ],
  [
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT holds credentials",
    { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://u:p@c/v1/traces" },
    '- OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="https://***@c/v1/traces": must not contain a user or password: send credentials in headers ' +
      "(e.g. OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://otel-collector:4318/v1/traces)",
  ],
  [
    "an OTEL_EXPORTER_OTLP_HEADERS entry has no '='",
    { OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=emp,oops" },
    `- OTEL_EXPORTER_OTLP_HEADERS="[redacted]": entry 2 has no '=': must be k=v pairs separated by commas ` +
      "(e.g. OTEL_EXPORTER_OTLP_HEADERS=x-tenant=emp,authorization=Bearer%20token)",
  ],
  [
    "an OTEL_EXPORTER_OTLP_HEADERS entry has a broken escape",
    { OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=%E0%A4%A" },
    `- OTEL_EXPORTER_OTLP_HEADERS="[redacted]": entry 1 has a malformed %-escape (e.g. OTEL_EXPORTER_OTLP_HEADERS=x-tenant=emp,authorization=Bearer%20token)`,
  ],
  [
    "OTEL_EXPORTER_OTLP_COMPRESSION is unknown",
    { OTEL_EXPORTER_OTLP_COMPRESSION: "brotli" },
    '- OTEL_EXPORTER_OTLP_COMPRESSION="brotli": must be gzip or none (e.g. OTEL_EXPORTER_OTLP_COMPRESSION=gzip)',
  ],
  ["LOG_DIR is relative", { LOG_DIR: "logs" }, '- LOG_DIR="logs": must be an absolute path (e.g. LOG_DIR=/workspace/logs)'],
  [
    "TELEMETRY_DEBUG is not a boolean",
    { TELEMETRY_DEBUG: "verbose" },
    '- TELEMETRY_DEBUG="verbose": must be true or false (also 1/0, yes/no, on/off) (e.g. TELEMETRY_DEBUG=true)',
  ],
  ["the option fluentd.port is out of range", {}, '- fluentd.port="0": must be an integer from 1 to 65535 (e.g. fluentd.port=24224)', { fluentd: { port: 0 } }],
  [
    "an option key is misspelled",
    {},
    '- serviceNmae="[redacted]": is not an option; did you mean serviceName? (e.g. serviceName=api-server)',
    { serviceNmae: "x" } as TelemetryConfigOptions,
  ],
  [
    "a nested option key is misspelled",
    {},
    '- fluentd.hots="[redacted]": is not an option; did you mean fluentd.host? (e.g. fluentd.host=fluentd.internal)',
    { fluentd: { hots: "x" } } as TelemetryConfigOptions,
  ],
];

describe("resolveTelemetryConfig problems", () => {
  it.each(cases)("reports exactly one problem when %s", (_title, envChanges, line, options = {}) => {
    const error = configErrorOf(options, { ...apiEnv, ...envChanges });
    expect(error.message).toBe(`invalid telemetry configuration, 1 problem:\n${line}`);
  });

  it("throws a TelemetryConfigError with code config_invalid", () => {
    const error = configErrorOf({}, {});
    expect(error).toBeInstanceOf(TelemetryConfigError);
    expect(error).toBeInstanceOf(TelemetryError);
    expect(error.name).toBe("TelemetryConfigError");
    expect(error.code).toBe("config_invalid");
  });

  it("names every problem at once, in one error", () => {
    const error = configErrorOf({}, { SERVICE_TYPE: "worker", FLUENTD_PORT: "http", LOG_DIR: "logs" });
    expect(error.problems.map((problem) => problem.key)).toEqual(["SERVICE_NAME", "TELEMETRY_ENV", "MACHINE_ID", "WORKER_ID", "FLUENTD_PORT", "LOG_DIR"]);
    expect(error.message.startsWith("invalid telemetry configuration, 6 problems:\n")).toBe(true);
    for (const problem of error.problems) expect(error.message).toContain(`- ${problem.key}`);
  });

  it("keeps each problem as data with key, value, problem and example", () => {
    const error = configErrorOf({}, { ...apiEnv, FLUENTD_PORT: "http" });
    expect(error.problems).toEqual([{ key: "FLUENTD_PORT", value: "http", problem: "must be an integer from 1 to 65535", example: "FLUENTD_PORT=24224" }]);
    expect(Object.isFrozen(error.problems)).toBe(true);
  });

  it("rejects options that are not an object", () => {
    const error = configErrorOf("api" as unknown as TelemetryConfigOptions, apiEnv);
    expect(error.problems.map((problem) => problem.key)).toEqual(["options"]);
  });
});
