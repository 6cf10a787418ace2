/**
 * The collector's OTLP/gRPC input (connect-node over h2c): OTel's exporter-trace-otlp-grpc (grpc-js)
 * for traces, a connect-node gRPC client for logs.
 */
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
});
