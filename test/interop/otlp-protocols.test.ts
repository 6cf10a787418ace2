/**
 * Spans and logs of a client configured with each OTLP protocol, from the resolved configuration
 * through the client's sinks (encoder, transport chosen by `config.otlp.signals[signal].protocol`) to
 * independent receivers on 127.0.0.1: `grpc` to @grpc/grpc-js serving the real OTLP .proto files and
 * to the local collector's OTLP/gRPC input (connect-node), `http/json` (spans, logs, and metrics transcoded) to an HTTP receiver that checks
 * the body against OTLP's JSON mapping.
 */
import { describe, expect, it } from "vitest";
import type * as c from "../../generated/index.js";
import { ExportMetricsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { buildStandardMetric } from "../../generated/emp/telemetry/v1/metric_contract.js";
import { createClientSinks, createMetricsSink, type ClientSinks } from "../../runtime/client/client-sinks.js";
import type { OtlpProtocol } from "../../runtime/config/otlp-endpoints.js";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import type { TelemetryConfig } from "../../runtime/config/telemetry-config.js";
import { otlpJsonFromProtobuf } from "../../runtime/encoding/otlp-json-transcoder.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { createTranscodingTransport } from "../../runtime/transports/transcoding-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector, validLogEntry, validSpan } from "../helpers/collector-harness.js";
import { startGrpcOtlpReceiver } from "../helpers/grpc-otlp-receiver.js";
import { metricsBatch } from "../helpers/otlp-batches.js";
import { jsonMappingProblems } from "../helpers/otlp-json-mapping.js";
import { startScriptedHttpReceiver } from "../helpers/scripted-http-receiver.js";

const cleanups = cleanupsAfterEach();

/** A resolved configuration exporting traces and logs to `endpoint` with `protocol` for every signal. */
function configWith(endpoint: string, protocol: OtlpProtocol, gzip = false): TelemetryConfig {
  const otlp = { endpoint, traces: true, logs: true, protocol, timeoutMs: 5000, gzip };
  return resolveTelemetryConfig({ serviceName: "interop", serviceType: "api", environment: "test", fluentd: { enabled: false }, otlp }, {});
}

/** The client's sinks for `config`, closed after the test. */
function sinksOf(config: TelemetryConfig): ClientSinks & { spanSink: NonNullable<ClientSinks["spans"]>; logSink: ClientSinks["logs"][number] } {
  const sinks = createClientSinks(config, "emp.api.interop", { maxQueueBytes: 1 << 20, maxSpanQueueBytes: 1 << 20, onDiagnostic: () => undefined });
  cleanups.push(() => Promise.all([sinks.spans, ...sinks.logs].map((s) => s?.shutdown(2000))));
  const [logSink] = sinks.logs;
  if (sinks.spans === undefined || logSink === undefined) throw new Error("expected an OTLP span and log sink");
  return { ...sinks, spanSink: sinks.spans, logSink };
}

function send(sinks: ReturnType<typeof sinksOf>, spans: c.StandardTraceSpan[], logs: c.StandardLogEntry[]): Promise<unknown> {
  for (const span of spans) sinks.spanSink.enqueue(span, 1000);
  for (const log of logs) sinks.logSink.enqueue(log, 1000);
  return Promise.all([sinks.spanSink.flush(5000), sinks.logSink.flush(5000)]);
}

const records = () => ({
  spans: [validSpan("GET /jobs/:id", { "http.response.status_code": 200 }), validSpan("db.query")],
  logs: [validLogEntry("hello", { port: 3001 })],
});

describe("protocol grpc", () => {
  it("delivers spans and logs to an independent @grpc/grpc-js OTLP server", async () => {
    const receiver = await startGrpcOtlpReceiver();
    cleanups.push(() => receiver.close());
    const sinks = sinksOf(configWith(receiver.url, "grpc"));
    const { spans, logs } = records();
    await send(sinks, spans, logs);
    const traces = receiver.requests.filter((r) => r.signal === "traces");
    const received = traces.flatMap((r) => r.request.resourceSpans[0].scopeSpans[0].spans);
    expect(received.map((s: { name: string }) => s.name)).toEqual(["GET /jobs/:id", "db.query"]);
    expect(Buffer.from(received[0].traceId).toString("hex")).toBe(spans[0]?.traceId);
    expect(received[0].kind).toBe(2);
    const logRecords = receiver.requests.filter((r) => r.signal === "logs").flatMap((r) => r.request.resourceLogs[0].scopeLogs[0].logRecords);
    expect(logRecords.map((l: { body: { stringValue: string } }) => l.body.stringValue)).toEqual(["hello"]);
    expect(sinks.spanSink.health()).toMatchObject({ emitted: 2, delivered: 2, droppedTotal: 0 });
    expect(sinks.logSink.health()).toMatchObject({ emitted: 1, delivered: 1, droppedTotal: 0 });
  });

  it("counts a refused batch (INVALID_ARGUMENT) and a partial_success as dropped rejected, exactly", async () => {
    const receiver = await startGrpcOtlpReceiver();
    cleanups.push(() => receiver.close());
    receiver.script({ code: 3, message: "bad batch" }, { partialSuccess: { rejected: 1, errorMessage: "1 log too old" } });
    const sinks = sinksOf(configWith(receiver.url, "grpc"));
    const { spans, logs } = records();
    await send(sinks, spans, []);
    await send(sinks, [], [...logs, validLogEntry("second")]);
    expect(sinks.spanSink.health()).toMatchObject({ emitted: 2, delivered: 0, droppedTotal: 2, dropped: { rejected: 2 } });
    expect(sinks.logSink.health()).toMatchObject({ emitted: 2, delivered: 1, droppedTotal: 1, dropped: { rejected: 1 } });
    expect(receiver.requests).toHaveLength(2);
  });

  it.each([false, true])("delivers spans and logs to the local collector's OTLP/gRPC input (the config path; gzip %s)", async (gzip) => {
    const collector = await startTestCollector(cleanups);
    const sinks = sinksOf(configWith(`http://127.0.0.1:${collector.ports.otlpGrpc}`, "grpc", gzip));
    // 40 spans: a message over connect's 1 KiB threshold, so gzip compresses it.
    const spans = Array.from({ length: 40 }, (_, i) => validSpan(`step-${i}`, { "emp.step": i }));
    const arrived = nextRecords(collector, 41);
    await send(sinks, spans, records().logs);
    const got = await arrived;
    expect(got.every((r) => r.source === "otlpGrpc" && r.service === "collector-test")).toBe(true);
    expect(got.filter((r) => r.signal === "spans").map((r) => (r.record as { name: string }).name)).toEqual(spans.map((s) => s.name));
    expect(got.find((r) => r.signal === "logs")?.record).toMatchObject({ body: "hello", severityNumber: 9 });
    expect(sinks.spanSink.health()).toMatchObject({ emitted: 40, delivered: 40, droppedTotal: 0 });
  });
});

describe("protocol http/json", () => {
  it("posts OTLP/JSON that follows the JSON mapping to /v1/traces and /v1/logs", async () => {
    const receiver = await startScriptedHttpReceiver();
    cleanups.push(() => receiver.close());
    const sinks = sinksOf(configWith(receiver.url(""), "http/json"));
    const { spans, logs } = records();
    await send(sinks, spans, logs);
    const byPath = Object.fromEntries(receiver.requests.map((r) => [r.path, { type: r.headers["content-type"], body: JSON.parse(r.body.toString("utf8")) }]));
    expect(byPath["/v1/traces"]?.type).toBe("application/json");
    expect(byPath["/v1/logs"]?.type).toBe("application/json");
    for (const { body } of Object.values(byPath)) expect(jsonMappingProblems(body)).toEqual([]);
    const span = byPath["/v1/traces"]?.body.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span).toMatchObject({ name: "GET /jobs/:id", traceId: spans[0]?.traceId, spanId: spans[0]?.spanId, kind: 2, status: { code: 1 } });
    const log = byPath["/v1/logs"]?.body.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(log).toMatchObject({ severityNumber: 9, body: { stringValue: "hello" } });
    expect(log.attributes).toContainEqual({ key: "port", value: { intValue: "3001" } });
    expect(sinks.spanSink.health()).toMatchObject({ delivered: 2, droppedTotal: 0 });
  });
});

describe("protocol http/json for metrics", () => {
  it("posts metrics transcoded from protobuf to OTLP/JSON that follows the JSON mapping", async () => {
    const receiver = await startScriptedHttpReceiver();
    cleanups.push(() => receiver.close());
    const transport = createOtlpHttpTransport({ signal: "metrics", url: receiver.url("/v1/metrics"), protocol: "http/json" });
    cleanups.push(() => transport.close());
    const encode = otlpJsonFromProtobuf(ExportMetricsServiceRequestSchema, (points: number[]) => metricsBatch(points.length));
    expect(await transport.send(encode([1, 2, 3]))).toEqual({ status: "ok" });
    const [request] = receiver.requests;
    expect(request?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(request?.body.toString("utf8") ?? "");
    expect(jsonMappingProblems(body)).toEqual([]);
    expect(body.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints.map((p: { asDouble?: number }) => p.asDouble ?? 0)).toEqual([0, 1, 2]);
  });

  it("goes through the client's metrics sink: protobuf encoded, transcoded by the transport it loads on the first send", async () => {
    const receiver = await startScriptedHttpReceiver();
    cleanups.push(() => receiver.close());
    const config = configWith(receiver.url(""), "http/json");
    const sink = createMetricsSink(config, 5000, { maxQueueBytes: 1 << 20, maxSpanQueueBytes: 1 << 20, onDiagnostic: () => undefined });
    if (sink === undefined) throw new Error("expected an OTLP metrics sink");
    cleanups.push(() => sink.shutdown(2000));
    sink.enqueue(buildStandardMetric({ name: "jobs.done", kind: 1, value: 7, timeUnixNano: 1_700_000_000_000_000_000n }), 200);
    await sink.flush(5000);
    const [request] = receiver.requests;
    expect(request?.path).toBe("/v1/metrics");
    expect(request?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(request?.body.toString("utf8") ?? "");
    expect(jsonMappingProblems(body)).toEqual([]);
    expect(body.resourceMetrics[0].scopeMetrics[0].metrics[0].name).toBe("jobs.done");
    expect(sink.health()).toMatchObject({ delivered: 1, droppedTotal: 0 });
  });

  it("resolves a batch the transcoder throws on as failed (internal), without sending it", async () => {
    const receiver = await startScriptedHttpReceiver();
    cleanups.push(() => receiver.close());
    const inner = createOtlpHttpTransport({ signal: "metrics", url: receiver.url("/v1/metrics"), protocol: "http/json" });
    cleanups.push(() => inner.close());
    const transport = createTranscodingTransport(inner, (batch) => otlpJsonFromProtobuf(ExportMetricsServiceRequestSchema, () => batch)([]));
    const garbage = Uint8Array.of(0xff, 0xff, 0xff);
    const result = await transport.send({ body: garbage, count: 1, bytes: garbage.byteLength });
    expect(result).toMatchObject({ status: "failed", error: { code: "internal" } });
    expect(receiver.requests).toEqual([]);
  });
});
