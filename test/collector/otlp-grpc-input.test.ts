/**
 * The collector's OTLP/gRPC input (connect-node over h2c): OTel's exporter-trace-otlp-grpc (grpc-js)
 * for traces, a connect-node gRPC client for logs, a grpc-js client on the real OTLP protos for metrics.
 */
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { ExportLogsServiceRequestSchema, LogsService } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector } from "../helpers/collector-harness.js";

/** A grpc-js `MetricsService` client from the real OTLP protos (`.build/otlp`, from `npm run proto:deps`); nothing of ours encodes. */
function grpcJsMetricsClient(port: number): { export(request: object): Promise<grpc.ServiceError | null>; close(): void } {
  const definition = protoLoader.loadSync("opentelemetry/proto/collector/metrics/v1/metrics_service.proto", {
    includeDirs: [path.resolve(import.meta.dirname, "../../.build/otlp")],
    longs: String,
    enums: Number,
  });
  type Loaded = { opentelemetry: { proto: { collector: { metrics: { v1: { MetricsService: grpc.ServiceClientConstructor } } } } } };
  const Service = (grpc.loadPackageDefinition(definition) as unknown as Loaded).opentelemetry.proto.collector.metrics.v1.MetricsService;
  type ExportClient = grpc.Client & { Export(request: object, callback: (error: grpc.ServiceError | null) => void): void };
  // Compression algorithm 2 = gzip.
  const client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.default_compression_algorithm": 2 }) as unknown as ExportClient;
  return {
    export: (request) => new Promise((resolve) => client.Export(request, (error: grpc.ServiceError | null) => resolve(error))),
    close: () => client.close(),
  };
}

const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });

const cleanups = cleanupsAfterEach();

describe("the OTLP/gRPC input", () => {
  it("takes spans from OTel's exporter-trace-otlp-grpc over h2c", async () => {
    const collector = await startTestCollector(cleanups);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "grpc-app" }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${collector.ports.otlpGrpc}` }))],
    });
    cleanups.push(() => provider.shutdown());
    const arrived = nextRecords(collector, 1);
    const span = provider.getTracer("t").startSpan("grpc.span", { attributes: { "emp.health.probe_id": "probe-grpc" } });
    span.end();
    await provider.forceFlush();
    const [record] = await arrived;
    expect(record).toMatchObject({ source: "otlpGrpc", signal: "spans", service: "grpc-app", probeId: "probe-grpc" });
    expect(record?.record).toMatchObject({ name: "grpc.span", traceId: span.spanContext().traceId });
    expect(collector.probe("probe-grpc").seen.otlpGrpc?.atMs).toBeGreaterThan(0);
  });

  it("takes LogsService/Export from a connect-node gRPC client", async () => {
    const collector = await startTestCollector(cleanups);
    const client = createClient(LogsService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${collector.ports.otlpGrpc}` }));
    const arrived = nextRecords(collector, 1);
    await client.export(
      create(ExportLogsServiceRequestSchema, {
        resourceLogs: [
          {
            resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue", value: "grpc-logs" } } }] },
            scopeLogs: [
              { logRecords: [{ timeUnixNano: 1_700_000_000_000_000_000n, severityNumber: 17, body: { value: { case: "stringValue", value: "over grpc" } } }] },
            ],
          },
        ],
      }),
    );
    const [record] = await arrived;
    expect(record).toMatchObject({ source: "otlpGrpc", signal: "logs", service: "grpc-logs", record: { body: "over grpc", severityNumber: 17 } });
  });

  it("counts MetricsService/Export data points from a grpc-js client (gzip), and refuses a request over maxRecordsPerRequest", async () => {
    const collector = await startTestCollector(cleanups, { maxRecordsPerRequest: 100, maxRecordsPerSecond: 1000 });
    const client = grpcJsMetricsClient(collector.ports.otlpGrpc);
    cleanups.push(async () => client.close());
    const now = String(1_700_000_000_000_000_000n);
    const point = (value: number) => ({ timeUnixNano: now, asDouble: value, attributes: [attribute("route", `/r${value}`)] });
    const metrics = [
      { name: "queue.depth", gauge: { dataPoints: [point(1), point(2)] } },
      { name: "requests", sum: { dataPoints: [point(3), point(4), point(5)], aggregationTemporality: 1, isMonotonic: true } },
      { name: "latency", unit: "ms", histogram: { dataPoints: [{ timeUnixNano: now, count: "2", sum: 7, bucketCounts: ["1", "1"], explicitBounds: [5] }] } },
    ];
    const request = (m: object[]) => ({
      resourceMetrics: [{ resource: { attributes: [attribute("service.name", "grpc-metrics")] }, scopeMetrics: [{ metrics: m }] }],
    });
    expect(await client.export(request(metrics))).toBeNull();
    const many = [{ name: "many", gauge: { dataPoints: Array.from({ length: 150 }, (_, i) => point(i)) } }];
    const refused = await client.export(request(many));
    expect([refused?.code, refused?.details]).toEqual([grpc.status.RESOURCE_EXHAUSTED, "101 records in one request exceed maxRecordsPerRequest (100)"]);
    // Counted on the wire up to the cap + 1, as the OTLP/HTTP input does.
    const status = collector.status();
    expect([status.counts.metricPoints, status.hops.otlpGrpc.records, status.hops.otlpGrpc.batches, status.hops.otlpGrpc.tooManyRecords]).toEqual([6, 6, 1, 1]);
    expect(status.counts.total).toBe(0);
  });
});
