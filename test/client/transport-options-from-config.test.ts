/**
 * The adapters from a resolved configuration to transport options: the configuration reads the
 * environment (FLUENTD_*, OTEL_EXPORTER_OTLP_*, DASH0_*), the transports take what the adapters give.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  fluentdHttpOptionsFromConfig,
  forwardTransportOptionsFromConfig,
  otlpTransportOptionsFromConfig,
} from "../../runtime/client/transport-options-from-config.js";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { resolveFluentdHttpTransportOptions } from "../../runtime/transports/fluentd-http/fluentd-http-options.js";
import { resolveForwardTransportOptions } from "../../runtime/transports/forward/forward-transport-options.js";
import { resolveOtlpExporterOptions } from "../../runtime/transports/otlp/otlp-options.js";
import { apiEnv, configErrorOf } from "../config/config-fixtures.js";

const apiKey = "auth_TOPSECRET_abcdef123456";

describe("forwardTransportOptionsFromConfig", () => {
  it("produces options that resolveForwardTransportOptions accepts", () => {
    const config = resolveTelemetryConfig(
      {},
      { ...apiEnv, FLUENTD_HOST: "fluentd.internal", FLUENTD_PORT: "24230", FLUENTD_TLS: "on", FLUENTD_SHARED_KEY: "k" },
    );
    const resolved = resolveForwardTransportOptions(forwardTransportOptionsFromConfig(config));
    expect(resolved).toMatchObject({ host: "fluentd.internal", port: 24230, tls: {}, sharedKey: "k", selfHostname: config.service.host });
  });

  it("uses the service-type defaults when no FLUENTD_* variable is set", () => {
    const resolved = resolveForwardTransportOptions(forwardTransportOptionsFromConfig(resolveTelemetryConfig({}, apiEnv)));
    expect(resolved).toMatchObject({ host: "localhost", port: 24224, sharedKey: "" });
  });

  it("lets code options win over FLUENTD_HOST and FLUENTD_PORT", () => {
    const config = resolveTelemetryConfig({ fluentd: { host: "code", port: 1 } }, { ...apiEnv, FLUENTD_HOST: "env", FLUENTD_PORT: "2" });
    expect(forwardTransportOptionsFromConfig(config)).toMatchObject({ host: "code", port: 1 });
  });

  it("names FLUENTD_PORT when the environment holds a bad port", () => {
    expect(() => resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_PORT: "http" })).toThrow(/FLUENTD_PORT="http"/);
  });

  it("prints the shared key as [redacted]", () => {
    const options = forwardTransportOptionsFromConfig(resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_SHARED_KEY: "the-key-123" }));
    expect(options?.sharedKey).toBe("the-key-123");
    for (const text of [inspect(options), JSON.stringify(options)]) expect(text).not.toContain("the-key-123");
  });

  it("returns undefined when Fluentd speaks http", () => {
    expect(forwardTransportOptionsFromConfig(resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_PROTOCOL: "http" }))).toBeUndefined();
  });

  it("returns undefined when the Fluentd sink is off", () => {
    expect(forwardTransportOptionsFromConfig(resolveTelemetryConfig({ fluentd: { enabled: false } }, apiEnv))).toBeUndefined();
  });
});

describe("fluentdHttpOptionsFromConfig", () => {
  it("builds the in_http URL from FLUENTD_HOST, FLUENTD_PORT and FLUENTD_TLS", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_PROTOCOL: "http", FLUENTD_HOST: "fluentd", FLUENTD_PORT: "9880", FLUENTD_TLS: "true" });
    expect(resolveFluentdHttpTransportOptions(fluentdHttpOptionsFromConfig(config)).url).toBe("https://fluentd:9880");
  });

  it("defaults to in_http's port 8888 and brackets an IPv6 host", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_PROTOCOL: "http", FLUENTD_HOST: "::1" });
    expect(fluentdHttpOptionsFromConfig(config)).toEqual({ url: "http://[::1]:8888" });
  });

  it("returns undefined when Fluentd speaks forward", () => {
    expect(fluentdHttpOptionsFromConfig(resolveTelemetryConfig({}, apiEnv))).toBeUndefined();
  });
});

describe("otlpTransportOptionsFromConfig", () => {
  it("appends the signal path to OTEL_EXPORTER_OTLP_ENDPOINT", () => {
    const config = resolveTelemetryConfig({ otlp: { logs: true } }, { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel:4318/" });
    expect(resolveOtlpExporterOptions(otlpTransportOptionsFromConfig(config, "traces")).url).toBe("https://otel:4318/v1/traces");
    expect(resolveOtlpExporterOptions(otlpTransportOptionsFromConfig(config, "logs")).url).toBe("https://otel:4318/v1/logs");
  });

  it("uses a signal-specific endpoint as is, over the base URL", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t/x", OTEL_EXPORTER_OTLP_ENDPOINT: "http://g" });
    expect(otlpTransportOptionsFromConfig(config, "traces")?.url).toBe("http://t/x");
  });

  it("lets code options win over OTEL_EXPORTER_OTLP_ENDPOINT", () => {
    const config = resolveTelemetryConfig({ otlp: { tracesEndpoint: "http://code/v1/traces" } }, { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPOINT: "http://g" });
    expect(otlpTransportOptionsFromConfig(config, "traces")?.url).toBe("http://code/v1/traces");
  });

  it("passes OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_COMPRESSION on", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, OTEL_EXPORTER_OTLP_HEADERS: "x-team=api,x-note=a%20b", OTEL_EXPORTER_OTLP_COMPRESSION: "gzip" });
    const resolved = resolveOtlpExporterOptions(otlpTransportOptionsFromConfig(config, "traces"));
    expect(resolved.compression).toBe("gzip");
    expect({ ...resolved.headers }).toEqual({ "x-team": "api", "x-note": "a b" });
  });

  it("sends to Dash0 with its Authorization and Dash0-Dataset headers, never printing the key", () => {
    const config = resolveTelemetryConfig(
      {},
      {
        ...apiEnv,
        DASH0_ENDPOINT: "https://ingress.eu-west-1.aws.dash0.com",
        DASH0_API_KEY: apiKey,
        DASH0_DATASET: "staging",
        OTEL_EXPORTER_OTLP_HEADERS: "x-team=api",
      },
    );
    const options = otlpTransportOptionsFromConfig(config, "traces");
    const resolved = resolveOtlpExporterOptions(options);
    expect(resolved.url).toBe("https://ingress.eu-west-1.aws.dash0.com/v1/traces");
    expect({ ...resolved.headers }).toEqual({ "x-team": "api", Authorization: `Bearer ${apiKey}`, "Dash0-Dataset": "staging" });
    for (const text of [inspect(options, { depth: 5 }), JSON.stringify(options), inspect(resolved, { depth: 5 }), JSON.stringify(resolved)]) {
      expect(text).not.toContain(apiKey);
    }
  });

  it("returns undefined for a signal that is off", () => {
    expect(otlpTransportOptionsFromConfig(resolveTelemetryConfig({ otlp: { traces: false } }, apiEnv), "traces")).toBeUndefined();
    expect(otlpTransportOptionsFromConfig(resolveTelemetryConfig({ otlp: { logs: false } }, apiEnv), "logs")).toBeUndefined();
  });

  it("gives each signal its own protocol, deadline, CA, headers and compression", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const dir = mkdtempSync(join(tmpdir(), "otlp-ca-"));
    try {
      writeFileSync(join(dir, "ca.pem"), pem);
      const config = resolveTelemetryConfig(
        { otlp: { metrics: true } },
        {
          ...apiEnv,
          OTEL_EXPORTER_OTLP_ENDPOINT: "https://c:4318",
          OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "http/json",
          OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: "1500",
          OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: join(dir, "ca.pem"),
          OTEL_EXPORTER_OTLP_HEADERS: "x-a=1",
          OTEL_EXPORTER_OTLP_METRICS_HEADERS: "x-m=2",
          OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
          OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: "none",
        },
      );
      const metrics = otlpTransportOptionsFromConfig(config, "metrics");
      expect(metrics).toMatchObject({ url: "https://c:4318/v1/metrics", protocol: "http/json", timeoutMs: 1500, ca: pem, compression: "none" });
      expect({ ...metrics?.headers }).toEqual({ "x-a": "1", "x-m": "2" });
      const traces = otlpTransportOptionsFromConfig(config, "traces");
      expect(traces).toMatchObject({ protocol: "http/protobuf", timeoutMs: 10_000, compression: "gzip" });
      expect(traces?.ca).toBeUndefined();
      expect({ ...traces?.headers }).toEqual({ "x-a": "1" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a bad OTEL_EXPORTER_OTLP_COMPRESSION as a configuration problem", () => {
    const error = configErrorOf({}, { ...apiEnv, OTEL_EXPORTER_OTLP_COMPRESSION: "brotli" });
    expect(error).toBeInstanceOf(TelemetryConfigError);
    expect(error.problems.map((problem) => problem.key)).toEqual(["OTEL_EXPORTER_OTLP_COMPRESSION"]);
  });
});
