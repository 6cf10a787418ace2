// The local collector's OTLP/HTTP input takes /v1/metrics: decoded and its data points counted.
import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExportMetricsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startTestCollector } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();

describe("the local collector's /v1/metrics", () => {
  it("counts the data points the client exports", async () => {
    const collector = await startTestCollector(cleanups);
    const client = new EmpTelemetryClient({
      env: {},
      serviceName: "api-server",
      serviceType: "api",
      environment: "test",
      otlp: { traces: false, metricsEndpoint: `http://127.0.0.1:${String(collector.ports.otlpHttp)}/v1/metrics` },
      handleExitSignals: false,
      registerGlobal: false,
    });
    cleanups.push(() => client.shutdown(1000));
    client.metrics.counter("requests", 1, { route: "/a" });
    client.metrics.counter("requests", 1, { route: "/b" });
    client.metrics.histogram("latency", 12, undefined, "ms");
    expect((await client.flush(5000)).status).toBe("complete");
    const status = collector.status();
    expect(status.counts.metricPoints).toBe(3);
    expect(status.hops.otlpHttp).toMatchObject({ records: 3, batches: 1, errors: 0 });
  });

  it("counts OTLP/JSON metrics and refuses a body that does not decode", async () => {
    const collector = await startTestCollector(cleanups);
    const url = `http://127.0.0.1:${String(collector.ports.otlpHttp)}/v1/metrics`;
    const point = { timeUnixNano: "1700000000000000000", asDouble: 1 };
    const body = { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: "g", gauge: { dataPoints: [point, point] } }] }] }] };
    const ok = await fetch(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    expect(ok.status).toBe(200);
    const bad = await fetch(url, { method: "POST", body: new Uint8Array([0xff, 0xff]), headers: { "content-type": "application/x-protobuf" } });
    expect(bad.status).toBe(400);
    expect(collector.status().counts.metricPoints).toBe(2);
    expect(collector.status().hops.otlpHttp.errors).toBe(1);
  });

  it("counts data points, not metrics, against maxRecordsPerRequest before decoding (413)", async () => {
    const collector = await startTestCollector(cleanups, { maxRecordsPerRequest: 100 });
    const url = `http://127.0.0.1:${String(collector.ports.otlpHttp)}/v1/metrics`;
    const dataPoints = Array.from({ length: 150 }, () => ({ timeUnixNano: 1n, value: { case: "asDouble" as const, value: 1 } }));
    const request = create(ExportMetricsServiceRequestSchema, {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: "g", data: { case: "gauge", value: { dataPoints } } }] }] }],
    });
    const res = await fetch(url, {
      method: "POST",
      body: toBinary(ExportMetricsServiceRequestSchema, request),
      headers: { "content-type": "application/x-protobuf" },
    });
    expect(res.status).toBe(413);
    expect(collector.status().counts.metricPoints).toBe(0);
  });
});
