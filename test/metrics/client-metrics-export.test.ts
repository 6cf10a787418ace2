// telemetry.metrics end to end: the real client, the real OTLP/HTTP transport, a receiver on
// 127.0.0.1, and the bodies decoded by protobufjs from the real OTLP .proto files.
import { afterEach, describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import type { MetricsOptions } from "../../runtime/metrics/metrics-options.js";
import { type DecodedMetric, decodeOtlpMetrics } from "../helpers/otlp-metrics-decoder.js";
import { partialSuccessBody, startOtlpReceiver, type OtlpReceiver } from "../helpers/otlp-receiver.js";

const open: { client?: EmpTelemetryClient; receiver?: OtlpReceiver }[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.client?.shutdown(1000);
    await o.receiver?.close();
  }
});

async function setup(metrics: MetricsOptions = {}): Promise<{ client: EmpTelemetryClient; receiver: OtlpReceiver }> {
  const receiver = await startOtlpReceiver();
  const client = new EmpTelemetryClient({
    env: {},
    serviceName: "api-server",
    serviceType: "api",
    environment: "test",
    otlp: { traces: false, metricsEndpoint: receiver.url("/v1/metrics") },
    handleExitSignals: false,
    registerGlobal: false,
    metrics,
  });
  open.push({ client, receiver });
  return { client, receiver };
}

function metricsOf(receiver: OtlpReceiver): DecodedMetric[] {
  return receiver.requests.filter((r) => r.path === "/v1/metrics").flatMap((r) => decodeOtlpMetrics(r.body));
}

function only(metrics: DecodedMetric[], name: string): DecodedMetric {
  const found = metrics.filter((m) => m.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe("telemetry.metrics over OTLP/HTTP", () => {
  it("exports a counter as a monotonic cumulative Sum per attribute set, whatever the attributes' key order", async () => {
    const { client, receiver } = await setup();
    client.metrics.counter("http.server.requests", 1, { route: "/jobs", status: 200 }, "{request}");
    client.metrics.counter("http.server.requests", 2, { status: 200, route: "/jobs" });
    client.metrics.counter("http.server.requests", undefined, { route: "/health", status: 200 }, "ignored: the first call set the unit");
    expect((await client.flush(5000)).status).toBe("complete");
    const m = only(metricsOf(receiver), "http.server.requests");
    expect(m).toMatchObject({ kind: "sum", isMonotonic: true, temporality: 2, unit: "{request}" });
    expect(m.resource).toMatchObject({ "service.name": "api-server", "emp.service.type": "api", "deployment.environment.name": "test" });
    expect(m.scope).toBe("@emp/telemetry");
    const byRoute = Object.fromEntries(m.points.map((p) => [p.attributes.route, p]));
    expect(byRoute["/jobs"]).toMatchObject({ asDouble: 3, attributes: { route: "/jobs", status: 200 } });
    expect(byRoute["/health"]).toMatchObject({ asDouble: 1 });
    expect(m.points).toHaveLength(2);
    for (const p of m.points) expect(p.startTimeUnixNano).toBeGreaterThan(0);
    for (const p of m.points) expect(p.timeUnixNano).toBeGreaterThanOrEqual(p.startTimeUnixNano);
  });

  it("exports a gauge's last value and a histogram in OpenTelemetry's default buckets, upper bounds inclusive", async () => {
    const { client, receiver } = await setup();
    client.metrics.gauge("queue.depth", 7, { queue: "jobs" });
    client.metrics.gauge("queue.depth", -3, { queue: "jobs" });
    for (const v of [0, 5, 5.5, 10000, 10001, 42]) client.metrics.histogram("job.duration", v, undefined, "ms");
    await client.flush(5000);
    const metrics = metricsOf(receiver);
    expect(only(metrics, "queue.depth")).toMatchObject({ kind: "gauge", points: [{ asDouble: -3, attributes: { queue: "jobs" } }] });
    const h = only(metrics, "job.duration");
    expect(h).toMatchObject({ kind: "histogram", temporality: 2, unit: "ms" });
    expect(h.points[0]).toMatchObject({ count: 6, sum: 20053.5, min: 0, max: 10001 });
    expect(h.points[0]!.explicitBounds).toEqual([0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);
    expect(h.points[0]!.bucketCounts).toEqual([1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it("takes the existing client's otel.gauge|counter|histogram shape into the same instruments", async () => {
    const { client, receiver } = await setup();
    expect(client.otel).toBe(client.metrics);
    client.otel.gauge("gpu.memory.used", 1024, { gpu: "0" }, "By");
    client.otel.counter("webhook.reconnects", 1, { reason: "timeout" });
    client.metrics.counter("webhook.reconnects", 1, { reason: "timeout" });
    client.otel.histogram("job.queue.wait", 12, { type: "comfyui" });
    await client.flush(5000);
    const metrics = metricsOf(receiver);
    expect(only(metrics, "gpu.memory.used")).toMatchObject({ unit: "By", points: [{ asDouble: 1024 }] });
    expect(only(metrics, "webhook.reconnects").points).toMatchObject([{ asDouble: 2, attributes: { reason: "timeout" } }]);
    expect(only(metrics, "job.queue.wait").points[0]).toMatchObject({ count: 1, sum: 12 });
  });

  it("with delta temporality exports what happened since the previous export, and nothing for idle series", async () => {
    const { client, receiver } = await setup({ temporality: "delta" });
    client.metrics.counter("jobs.done", 5, { type: "a" });
    client.metrics.counter("jobs.done", 1, { type: "b" });
    await client.flush(5000);
    client.metrics.counter("jobs.done", 2, { type: "a" });
    await client.flush(5000);
    const exports = receiver.requests.filter((r) => r.path === "/v1/metrics").map((r) => decodeOtlpMetrics(r.body));
    expect(exports).toHaveLength(2);
    const first = only(exports[0]!, "jobs.done");
    const second = only(exports[1]!, "jobs.done");
    expect(first.temporality).toBe(1);
    expect(first.points.map((p) => [p.attributes.type, p.asDouble]).sort()).toEqual([
      ["a", 5],
      ["b", 1],
    ]);
    expect(second.points.map((p) => [p.attributes.type, p.asDouble])).toEqual([["a", 2]]);
    expect(second.points[0]!.startTimeUnixNano).toBeGreaterThanOrEqual(first.points[0]!.timeUnixNano);
  });

  it("sends what is left at shutdown, then counts later measurements as shutdown drops", async () => {
    const { client, receiver } = await setup();
    client.metrics.counter("last.words", 1);
    const report = await client.shutdown(5000);
    expect(report.status).toBe("complete");
    expect(only(metricsOf(receiver), "last.words").points[0]!.asDouble).toBe(1);
    client.metrics.counter("last.words", 1);
    expect(client.health().metrics?.dropped.shutdown).toBe(1);
  });

  it("keeps at most maxSeriesPerInstrument series, overflow included, the rest in the otel.metric.overflow series, counted", async () => {
    const { client, receiver } = await setup({ maxSeriesPerInstrument: 4 });
    for (let i = 0; i < 10; i++) client.metrics.counter("per.user", 1, { user: `u${String(i)}` });
    for (let i = 0; i < 10; i++) client.metrics.counter("per.user", 1, { user: `u${String(i)}` });
    expect(client.health().metrics?.overflowMeasurements).toBe(14);
    await client.flush(5000);
    const m = only(metricsOf(receiver), "per.user");
    expect(m.points).toHaveLength(4);
    expect(m.points.find((p) => p.attributes["otel.metric.overflow"] === true)).toMatchObject({ asDouble: 14, attributes: { "otel.metric.overflow": true } });
    expect(m.points.filter((p) => p.attributes.user !== undefined).map((p) => p.asDouble)).toEqual([2, 2, 2]);
  });

  it("accounts every point in the otlp-metrics sink: emitted = delivered", async () => {
    const { client } = await setup();
    for (let i = 0; i < 5; i++) client.metrics.gauge("g", i, { i });
    await client.flush(5000);
    const sink = client.health().sinks.find((s) => s.name === "otlp-metrics");
    expect(sink).toMatchObject({ target: "otlp-metrics", emitted: 5, delivered: 5, droppedTotal: 0 });
  });

  it("exports the client's own health as metrics when metrics.clientHealth is on", async () => {
    const { client, receiver } = await setup({ clientHealth: true });
    client.metrics.counter("warmup", 1);
    await client.flush(5000);
    await client.flush(5000);
    const metrics = metricsOf(receiver);
    const delivered = metrics.filter((m) => m.name === "emp.telemetry.sink.delivered").flatMap((m) => m.points);
    expect(delivered.filter((p) => p.attributes.sink === "otlp-metrics").at(-1)?.asDouble).toBeGreaterThanOrEqual(1);
    const breaker = metrics.filter((m) => m.name === "emp.telemetry.sink.breaker.state").flatMap((m) => m.points);
    expect(breaker.find((p) => p.attributes.sink === "otlp-metrics")?.asDouble).toBe(0);
    expect(metrics.some((m) => m.name === "emp.telemetry.sink.queue.size" && m.unit === "By")).toBe(true);
  });

  it("exports nothing without health metrics when clientHealth is off", async () => {
    const { client, receiver } = await setup();
    client.metrics.counter("warmup", 1);
    await client.flush(5000);
    expect(metricsOf(receiver).map((m) => m.name)).toEqual(["warmup"]);
  });
});

describe("telemetry.metrics against a receiver that rejects part of a request", () => {
  it("counts partial_success.rejected_data_points as rejected drops of the otlp-metrics sink", async () => {
    const receiver = await startOtlpReceiver(() => ({
      status: 200,
      headers: { "content-type": "application/x-protobuf" },
      body: partialSuccessBody(2, "bad points"),
    }));
    const client = new EmpTelemetryClient({
      env: {},
      serviceName: "api-server",
      serviceType: "api",
      environment: "test",
      otlp: { traces: false, metricsEndpoint: receiver.url("/v1/metrics") },
      handleExitSignals: false,
      registerGlobal: false,
    });
    open.push({ client, receiver });
    for (let i = 0; i < 3; i++) client.metrics.counter("c", 1, { i });
    await client.flush(5000);
    const sink = client.health().sinks.find((s) => s.name === "otlp-metrics");
    expect(sink).toMatchObject({ emitted: 3, delivered: 1, dropped: { rejected: 2 } });
  });

  it("refuses bad metrics options at construction, naming each", () => {
    expect(
      () =>
        new EmpTelemetryClient({
          env: {},
          serviceName: "api-server",
          serviceType: "api",
          environment: "test",
          handleExitSignals: false,
          registerGlobal: false,
          metrics: { exportIntervalMs: -1, temporality: "sometimes" as never },
        }),
    ).toThrow(/metrics\.exportIntervalMs[\s\S]*metrics\.temporality/);
  });
});

describe("the client's health as metrics", () => {
  it("carries each hop's latency of the last pipeline check (test.connectivity)", async () => {
    const receiver = await startOtlpReceiver();
    const client = new EmpTelemetryClient({
      env: {},
      serviceName: "api-server",
      serviceType: "api",
      environment: "test",
      fluentd: { enabled: false },
      otlp: { tracesEndpoint: receiver.url("/v1/traces"), metricsEndpoint: receiver.url("/v1/metrics") },
      handleExitSignals: false,
      registerGlobal: false,
      metrics: { clientHealth: true },
    });
    open.push({ client, receiver });
    const report = await client.test.connectivity();
    const hop = report.otel?.hop;
    expect(hop?.ok).toBe(true);
    await client.flush(5000);
    const latencies = metricsOf(receiver).filter((m) => m.name === "emp.telemetry.pipeline.hop.latency");
    expect(latencies).toHaveLength(1);
    expect(latencies[0]).toMatchObject({ kind: "gauge", unit: "ms" });
    expect(latencies[0]!.points.find((p) => p.attributes.hop === hop!.hop)?.asDouble).toBe(hop!.latencyMs);
  });
});

describe("the OTel metrics variables", () => {
  it("exports on OTEL_METRIC_EXPORT_INTERVAL with OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", async () => {
    const receiver = await startOtlpReceiver();
    const env = {
      OTEL_METRIC_EXPORT_INTERVAL: "100",
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: "delta",
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.url("/v1/metrics"),
    };
    const client = new EmpTelemetryClient({ env, serviceName: "api-server", serviceType: "api", environment: "test", otlp: { traces: false } });
    open.push({ client, receiver });
    client.metrics.counter("ticks", 2);
    const deadline = Date.now() + 5000;
    while (metricsOf(receiver).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const ticks = only(metricsOf(receiver), "ticks");
    expect(ticks.temporality).toBe(1); // AGGREGATION_TEMPORALITY_DELTA
  });
});
