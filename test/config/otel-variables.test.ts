// The standard OpenTelemetry variables, each read from the env table and resolved as the OTel SDK spec says.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { revealHeaders } from "../../runtime/config/secret.js";
import { selfSignedCertificate } from "../helpers/self-signed.js";
import { apiEnv, configErrorOf } from "./config-fixtures.js";

const resolve = (env: Record<string, string | undefined>) => resolveTelemetryConfig({}, { ...apiEnv, ...env });
const dir = mkdtempSync(join(tmpdir(), "otel-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("OTEL_RESOURCE_ATTRIBUTES", () => {
  it("adds the attributes, percent-decoded, trimmed, empty entries skipped", () => {
    const config = resolve({ OTEL_RESOURCE_ATTRIBUTES: "team=gpu, cloud.region = us-east-1 ,,note=a%2Cb%3Dc%20d" });
    expect(config.resourceAttributes).toEqual({ team: "gpu", "cloud.region": "us-east-1", note: "a,b=c d" });
  });

  it("keeps our own keys and warns for each it overrides with a different value", () => {
    const config = resolve({ OTEL_RESOURCE_ATTRIBUTES: "service.name=other,service.instance.id=x,deployment.environment.name=production,k=v" });
    expect(config.resourceAttributes).toEqual({ k: "v" });
    expect(config.service.name).toBe("api-server");
    expect(config.warnings.map((w) => w.message)).toEqual([
      'OTEL_RESOURCE_ATTRIBUTES sets service.name="other", but ours is "api-server": ours wins',
      `OTEL_RESOURCE_ATTRIBUTES sets service.instance.id="x", but ours is "${config.service.instanceId}": ours wins`,
    ]);
  });

  it("gives the service name when no SERVICE_NAME is set, as OTel does", () => {
    expect(resolve({ SERVICE_NAME: undefined, OTEL_RESOURCE_ATTRIBUTES: "service.name=from-resource" }).service.name).toBe("from-resource");
  });

  it("reports an entry without '=' or with a malformed escape", () => {
    expect(configErrorOf({}, { ...apiEnv, OTEL_RESOURCE_ATTRIBUTES: "a=1,b" }).problems[0]).toMatchObject({
      key: "OTEL_RESOURCE_ATTRIBUTES",
      problem: "entry 2 must be key=value",
    });
    expect(configErrorOf({}, { ...apiEnv, OTEL_RESOURCE_ATTRIBUTES: "a=%zz" }).problems[0]?.problem).toBe("entry 1 has a malformed %-escape");
  });
});

describe("OTEL_EXPORTER_OTLP_[SIGNAL_]ENDPOINT and _PROTOCOL", () => {
  it("appends /v1/<signal> to the base for HTTP, metrics too", () => {
    const { otlp } = resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/otlp" });
    expect([otlp.tracesEndpoint, otlp.logsEndpoint, otlp.metricsEndpoint]).toEqual([
      "http://c:4318/otlp/v1/traces",
      "http://c:4318/otlp/v1/logs",
      "http://c:4318/otlp/v1/metrics",
    ]);
  });

  it("uses a signal endpoint as is, metrics too", () => {
    const { otlp } = resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://m:9000/custom" });
    expect([otlp.tracesEndpoint, otlp.metricsEndpoint]).toEqual(["http://c:4318/v1/traces", "http://m:9000/custom"]);
  });

  it("with grpc sends to the base host:port with no path appended", () => {
    const { otlp } = resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" });
    expect([otlp.tracesEndpoint, otlp.metricsEndpoint, otlp.signals.traces.protocol, otlp.signals.metrics.protocol]).toEqual([
      "http://c:4317",
      "http://c:4317",
      "grpc",
      "grpc",
    ]);
  });

  it("with only the protocol set uses localhost:4317 for grpc and :4318 for http, as the OTel JS SDK does", () => {
    const { otlp } = resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: "http/json" });
    expect([otlp.tracesEndpoint, otlp.logsEndpoint]).toEqual(["http://localhost:4317", "http://localhost:4318/v1/logs"]);
    expect([otlp.signals.traces.protocol, otlp.signals.logs.protocol]).toEqual(["grpc", "http/json"]);
  });

  it("takes host:port (no scheme) as gRPC in plain text", () => {
    const { otlp } = resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317" });
    expect([otlp.tracesEndpoint, otlp.signals.traces.protocol]).toEqual(["http://collector:4317", "grpc"]);
  });

  it("warns when an HTTP protocol is sent to :4317, gRPC's port", () => {
    const config = resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317" });
    expect(config.warnings.filter((w) => w.key === "OTEL_EXPORTER_OTLP_ENDPOINT").map((w) => w.message)).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT uses port 4317, OTLP/gRPC's, but traces would go over http/protobuf: set OTEL_EXPORTER_OTLP_PROTOCOL=grpc or use port 4318",
    ]);
  });

  it("reports a protocol it does not know", () => {
    expect(configErrorOf({}, { ...apiEnv, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "thrift" }).problems[0]).toMatchObject({
      key: "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
      problem: "must be one of http/protobuf, http/json, grpc",
    });
  });
});

describe("OTEL_EXPORTER_OTLP_[SIGNAL_]TIMEOUT, _HEADERS, _COMPRESSION", () => {
  it("defaults the deadline to 10000 ms; a signal's own wins over every signal's", () => {
    expect(resolve({}).otlp.signals.logs.timeoutMs).toBe(10_000);
    const { signals } = resolve({ OTEL_EXPORTER_OTLP_TIMEOUT: "2500", OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: "700" }).otlp;
    expect([signals.traces.timeoutMs, signals.logs.timeoutMs, signals.metrics.timeoutMs]).toEqual([2500, 2500, 700]);
  });

  it("reports a deadline that is not a whole number of milliseconds", () => {
    expect(configErrorOf({}, { ...apiEnv, OTEL_EXPORTER_OTLP_TIMEOUT: "10s" }).problems[0]?.key).toBe("OTEL_EXPORTER_OTLP_TIMEOUT");
  });

  it("merges per-signal headers over every signal's, per key", () => {
    const { signals } = resolve({ OTEL_EXPORTER_OTLP_HEADERS: "x-a=1,x-b=2", OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-b=3" }).otlp;
    expect(revealHeaders(signals.traces.headers)).toEqual({ "x-a": "1", "x-b": "3" });
    expect(revealHeaders(signals.logs.headers)).toEqual({ "x-a": "1", "x-b": "2" });
  });

  it("merges header names ignoring case, the signal's winning", () => {
    const { signals } = resolve({ OTEL_EXPORTER_OTLP_HEADERS: "X-Tenant=a", OTEL_EXPORTER_OTLP_LOGS_HEADERS: "x-tenant=b" }).otlp;
    expect(revealHeaders(signals.logs.headers)).toEqual({ "x-tenant": "b" });
  });

  it("reports a per-signal Authorization header that would clash with Dash0's", () => {
    const env = { ...apiEnv, DASH0_ENDPOINT: "https://d", DASH0_API_KEY: "auth_k", OTEL_EXPORTER_OTLP_TRACES_HEADERS: "Authorization=Bearer%20x" };
    expect(configErrorOf({}, env).problems.map((p) => [p.key, p.value])).toEqual([["OTEL_EXPORTER_OTLP_TRACES_HEADERS", "[redacted]"]]);
  });

  it("gzips per signal", () => {
    const { signals } = resolve({ OTEL_EXPORTER_OTLP_COMPRESSION: "none", OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: "gzip" }).otlp;
    expect([signals.traces.gzip, signals.logs.gzip, signals.metrics.gzip]).toEqual([false, true, false]);
  });
});

describe("OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE", () => {
  it("reads the PEM file at configuration time into the signal's certificate", () => {
    const path = join(dir, "ca.pem");
    const pem = selfSignedCertificate().cert;
    writeFileSync(path, pem);
    const { signals } = resolve({ OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: path }).otlp;
    expect([signals.traces.certificate, signals.logs.certificate]).toEqual([pem, undefined]);
  });

  it("reports a file that cannot be read, and one that holds no certificate", () => {
    const notPem = join(dir, "not.pem");
    writeFileSync(notPem, "hello");
    const error = configErrorOf({}, { ...apiEnv, OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, "missing.pem"), OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: notPem });
    expect(error.problems.map((p) => [p.key, p.problem])).toEqual([
      ["OTEL_EXPORTER_OTLP_CERTIFICATE", "cannot be read (ENOENT): give the path of a readable PEM file"],
      ["OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE", "is not a PEM file of CA certificates (no BEGIN CERTIFICATE block)"],
    ]);
  });

  it("reads no file when OTEL_SDK_DISABLED is true", () => {
    expect(resolve({ OTEL_SDK_DISABLED: "true", OTEL_EXPORTER_OTLP_CERTIFICATE: join(dir, "missing.pem") }).otlp.signals.traces.certificate).toBeUndefined();
  });
});

describe("OTEL_EXPORTER_OTLP_[SIGNAL_]INSECURE", () => {
  const grpc = (env: Record<string, string>) => resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317", ...env });
  const urls = (config: ReturnType<typeof resolve>) => [config.otlp.tracesEndpoint, config.otlp.logsEndpoint, config.otlp.metricsEndpoint];

  it("false sends to a host:port endpoint over TLS, true in plain text; the signal's variable wins", () => {
    expect(urls(grpc({ OTEL_EXPORTER_OTLP_INSECURE: "false", OTEL_LOGS_EXPORTER: "otlp" }))).toEqual([
      "https://collector:4317",
      "https://collector:4317",
      "https://collector:4317",
    ]);
    const mixed = grpc({ OTEL_EXPORTER_OTLP_INSECURE: "false", OTEL_EXPORTER_OTLP_TRACES_INSECURE: "true", OTEL_LOGS_EXPORTER: "otlp" });
    expect(urls(mixed)).toEqual(["http://collector:4317", "https://collector:4317", "https://collector:4317"]);
    expect(mixed.warnings).toEqual([]);
  });

  it("unset, a collector's host:port is plain text and Dash0's is TLS; set, it decides for Dash0 too", () => {
    expect(grpc({}).otlp.tracesEndpoint).toBe("http://collector:4317");
    const dash0 = { DASH0_ENDPOINT: "ingress.eu-west-1.aws.dash0.com:4317", DASH0_API_KEY: "auth_x" };
    expect(resolve(dash0).otlp.tracesEndpoint).toBe("https://ingress.eu-west-1.aws.dash0.com:4317");
    expect(resolve({ ...dash0, OTEL_EXPORTER_OTLP_INSECURE: "true" }).otlp.tracesEndpoint).toBe("http://ingress.eu-west-1.aws.dash0.com:4317");
  });

  it("a scheme in the URL wins, and the variable is then warned as having no effect", () => {
    const config = resolve({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4317", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_EXPORTER_OTLP_INSECURE: "false" });
    expect(config.otlp.tracesEndpoint).toBe("http://collector:4317");
    expect(config.warnings).toEqual([
      {
        key: "OTEL_EXPORTER_OTLP_INSECURE",
        message: "OTEL_EXPORTER_OTLP_INSECURE has no effect: it applies only to a gRPC endpoint given as host:port, without a scheme",
      },
    ]);
  });

  it("is an option too (otlp.insecure, otlp.<signal>Insecure), winning over the variable", () => {
    const config = resolveTelemetryConfig(
      { otlp: { endpoint: "collector:4317", insecure: false, metricsInsecure: true } },
      { ...apiEnv, OTEL_EXPORTER_OTLP_INSECURE: "true" },
    );
    expect([config.otlp.tracesEndpoint, config.otlp.metricsEndpoint]).toEqual(["https://collector:4317", "http://collector:4317"]);
  });

  it("reports a value that is no boolean", () => {
    const error = configErrorOf({}, { ...apiEnv, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4317", OTEL_EXPORTER_OTLP_TRACES_INSECURE: "maybe" });
    expect(error.problems.map((p) => p.key)).toEqual(["OTEL_EXPORTER_OTLP_TRACES_INSECURE"]);
  });
});

describe("OTEL_SDK_DISABLED, OTEL_LOG_LEVEL, the exporter switches", () => {
  it("OTEL_SDK_DISABLED=true turns every sink off", () => {
    const config = resolveTelemetryConfig({ serviceType: "machine" }, { ...apiEnv, MACHINE_ID: "m-1", OTEL_SDK_DISABLED: "true" });
    expect([config.disabled, config.fluentd.enabled, config.otlp.tracesEndpoint, config.otlp.logsEndpoint, config.otlp.metricsEndpoint, config.logDir]).toEqual(
      [true, false, undefined, undefined, undefined, undefined],
    );
  });

  it("OTEL_LOG_LEVEL=debug turns our diagnostics on; TELEMETRY_DEBUG wins", () => {
    expect(resolve({ OTEL_LOG_LEVEL: "debug" }).debug).toBe(true);
    expect(resolve({ OTEL_LOG_LEVEL: "info" }).debug).toBe(false);
    expect(resolve({ OTEL_LOG_LEVEL: "verbose", TELEMETRY_DEBUG: "false" }).debug).toBe(false);
    expect(configErrorOf({}, { ...apiEnv, OTEL_LOG_LEVEL: "loud" }).problems[0]?.key).toBe("OTEL_LOG_LEVEL");
  });

  it("OTEL_{TRACES,METRICS,LOGS}_EXPORTER=none turn a signal off, otlp on", () => {
    const { otlp } = resolve({ OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "otlp" });
    expect([otlp.tracesEndpoint, otlp.metricsEndpoint, otlp.logsEndpoint]).toEqual([undefined, undefined, "http://localhost:4318/v1/logs"]);
    expect(configErrorOf({}, { ...apiEnv, OTEL_TRACES_EXPORTER: "zipkin" }).problems[0]?.problem).toBe(
      "must be otlp or none (@emp/telemetry exports over OTLP only)",
    );
  });
});

describe("sampler, limits and metrics", () => {
  it("reads OTEL_TRACES_SAMPLER and its ratio; parentbased_always_on by default", () => {
    expect(resolve({}).tracing).toMatchObject({ sampler: "parentbased_always_on", samplerArg: 1 });
    expect(resolve({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" }).tracing).toMatchObject({
      sampler: "parentbased_traceidratio",
      samplerArg: 0.25,
    });
  });

  it("reports a sampler it does not build, a ratio out of 0..1 and a ratio without a ratio sampler", () => {
    expect(configErrorOf({}, { ...apiEnv, OTEL_TRACES_SAMPLER: "jaeger_remote" }).problems[0]?.key).toBe("OTEL_TRACES_SAMPLER");
    expect(configErrorOf({}, { ...apiEnv, OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "1.5" }).problems[0]?.key).toBe(
      "OTEL_TRACES_SAMPLER_ARG",
    );
    expect(configErrorOf({}, { ...apiEnv, OTEL_TRACES_SAMPLER_ARG: "0.5" }).problems[0]?.problem).toContain("only read by the traceidratio samplers");
  });

  it("reads the attribute and span limits", () => {
    const { limits } = resolve({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: "64", OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "8", OTEL_SPAN_EVENT_COUNT_LIMIT: "2" }).tracing;
    expect(limits).toMatchObject({ attributeValueLengthLimit: 64, spanAttributeCountLimit: 8, eventCountLimit: 2, linkCountLimit: undefined });
  });

  it("reads the metrics interval, deadline and temporality (lowmemory is delta for our instruments)", () => {
    expect(resolve({}).metrics).toEqual({ exportIntervalMs: 60_000, exportTimeoutMs: 30_000, temporality: "cumulative" });
    const metrics = resolve({
      OTEL_METRIC_EXPORT_INTERVAL: "5000",
      OTEL_METRIC_EXPORT_TIMEOUT: "1000",
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "LowMemory",
    }).metrics;
    expect(metrics).toEqual({ exportIntervalMs: 5000, exportTimeoutMs: 1000, temporality: "delta" });
  });
});

describe("OTEL_* variables not honoured", () => {
  it("get one warning each, naming them", () => {
    const config = resolve({ OTEL_BSP_MAX_QUEUE_SIZE: "10", OTEL_PROPAGATORS: "b3", OTEL_EXPORTER_OTLP_CLIENT_KEY: "/k.pem", OTEL_FOO_BAR_BAZ: "1" });
    expect(config.warnings.map((w) => w.key)).toEqual(["OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_FOO_BAR_BAZ", "OTEL_PROPAGATORS"]);
    for (const warning of config.warnings) expect(warning.message).toMatch(new RegExp(`^${warning.key} is not (honoured|read) by @emp/telemetry`));
  });

  it("a typo of one we honour gets 'did you mean', once", () => {
    const config = resolve({ OTEL_EXPORTER_OTLP_PROTOCL: "grpc" });
    expect(config.warnings).toEqual([
      { key: "OTEL_EXPORTER_OTLP_PROTOCL", message: "OTEL_EXPORTER_OTLP_PROTOCL is not read by @emp/telemetry; did you mean OTEL_EXPORTER_OTLP_PROTOCOL?" },
    ]);
  });

  it("honoured ones get no warning", () => {
    expect(resolve({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc", OTEL_METRIC_EXPORT_INTERVAL: "1000", OTEL_SDK_DISABLED: "false" }).warnings).toEqual([]);
  });
});
