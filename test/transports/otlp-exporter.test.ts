/**
 * The OTel-based OTLP exporters and tracer provider against a real socket, decoded by an independent
 * receiver (protobuf-es from the real OTLP protos).
 */
import { inspect } from "node:util";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import {
  createOtlpLogExporter,
  createOtlpTraceExporter,
  createOtlpTracerProvider,
  resolveOtlpExporterOptions,
  resolveOtlpTracerProviderOptions,
} from "../../runtime/transports/index.js";
import { attributesOf, hex, startOtlpReceiver, type OtlpReceiver } from "../helpers/otlp-receiver.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const apiKey = "auth_SECRET-KEY-0123456789";
const cleanups = cleanupsAfterEach();

async function receiver(): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver();
  cleanups.push(() => r.close());
  return r;
}

function provider(r: OtlpReceiver, exporter: Record<string, unknown> = {}, processor: "batch" | "simple" = "batch") {
  const p = createOtlpTracerProvider({
    serviceName: "api",
    resourceAttributes: { "service.version": "1.2.3", "deployment.environment.name": "test" },
    exporter: { url: r.url("/v1/traces"), ...exporter },
    processor,
  });
  cleanups.push(() => p.shutdown());
  return p;
}

describe("createOtlpTracerProvider", () => {
  it("exports spans through a real BasicTracerProvider with the resource, attributes and ids", async () => {
    const r = await receiver();
    const p = provider(r);
    const tracer = p.getTracer("emp-test", "0.1.0");
    const parent = tracer.startSpan("GET /jobs", { attributes: { "http.request.method": "GET", "http.response.status_code": 200 } });
    const parentContext = parent.spanContext();
    const { trace, context } = await import("@opentelemetry/api");
    const child = tracer.startSpan("db.query", { attributes: { "db.system": "postgresql" } }, trace.setSpan(context.active(), parent));
    child.end();
    parent.end();
    await p.forceFlush();

    const [request] = r.traces();
    expect(r.requests[0]?.headers["content-type"]).toBe("application/x-protobuf");
    const resourceSpans = request?.resourceSpans[0];
    expect(attributesOf(resourceSpans?.resource?.attributes)).toMatchObject({ "service.name": "api", "service.version": "1.2.3", "deployment.environment.name": "test" });
    const scope = resourceSpans?.scopeSpans[0];
    expect(scope?.scope).toMatchObject({ name: "emp-test", version: "0.1.0" });
    const spans = new Map(scope?.spans.map((s) => [s.name, s]));
    const sentParent = spans.get("GET /jobs");
    const sentChild = spans.get("db.query");
    expect(hex(sentParent?.traceId ?? new Uint8Array())).toBe(parentContext.traceId);
    expect(hex(sentParent?.spanId ?? new Uint8Array())).toBe(parentContext.spanId);
    expect(hex(sentChild?.traceId ?? new Uint8Array())).toBe(parentContext.traceId);
    expect(hex(sentChild?.parentSpanId ?? new Uint8Array())).toBe(parentContext.spanId);
    expect(attributesOf(sentParent?.attributes)).toEqual({ "http.request.method": "GET", "http.response.status_code": 200 });
    expect(sentParent?.endTimeUnixNano).toBeGreaterThanOrEqual(sentParent?.startTimeUnixNano ?? 0n);
  });

  it("takes the service name from code, else OTel's default, and reads no environment", () => {
    expect(resolveOtlpTracerProviderOptions({}).serviceName).toBe("unknown_service:node");
    expect(resolveOtlpTracerProviderOptions({ serviceName: "code" }).serviceName).toBe("code");
    expect(() => resolveOtlpTracerProviderOptions({ processor: "eager" as "batch" })).toThrow(/processor="eager"/);
  });
});

describe("createOtlpTraceExporter", () => {
  it("sends the Dash0 Authorization and Dash0-Dataset headers", async () => {
    const r = await receiver();
    const p = provider(r, { dash0: { apiKey, dataset: "staging" }, headers: { Authorization: "Bearer other", "x-team": "api" } });
    p.getTracer("t").startSpan("s").end();
    await p.forceFlush();
    const [request] = await r.waitForRequests(1);
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.headers["dash0-dataset"]).toBe("staging");
    expect(request?.headers["x-team"]).toBe("api");
  });

  it("never shows the API key in inspect, JSON or the export error", async () => {
    const r = await startOtlpReceiver(() => ({ status: 401, body: "unauthorized" }));
    cleanups.push(() => r.close());
    const exporter = createOtlpTraceExporter({ url: r.url("/v1/traces"), dash0: { apiKey, dataset: "prod" }, timeoutMs: 2000 });
    cleanups.push(() => exporter.shutdown());
    const options = resolveOtlpExporterOptions({ dash0: { apiKey } });
    for (const shown of [inspect(exporter, { depth: 10 }), JSON.stringify(exporter), inspect(options, { depth: 10 }), JSON.stringify(options),
      inspect(options.headers), inspect(options.dash0), JSON.stringify(options.dash0)]) {
      expect(shown).not.toContain(apiKey);
    }
    expect(inspect(exporter)).toContain("[redacted]");

    const memory = new InMemorySpanExporter();
    const source = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    source.getTracer("t").startSpan("s").end();
    const result = await new Promise<ExportResult>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    const errorText = `${String(result.error?.message)} ${inspect(result.error, { depth: 10 })}`;
    expect(errorText).toContain("401");
    expect(errorText).not.toContain(apiKey);
    expect(r.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it("gzips the request body when compression is gzip", async () => {
    const r = await receiver();
    const p = provider(r, { compression: "gzip" });
    p.getTracer("t").startSpan("zipped").end();
    await p.forceFlush();
    const [request] = await r.waitForRequests(1);
    expect(request?.headers["content-encoding"]).toBe("gzip");
    expect(r.traces()[0]?.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name).toBe("zipped");
  });

  it("reuses one keep-alive connection for several exports", async () => {
    const r = await receiver();
    const p = provider(r, {}, "simple");
    for (let i = 0; i < 4; i++) {
      p.getTracer("t").startSpan(`span-${i}`).end();
      await p.forceFlush();
    }
    await r.waitForRequests(4);
    expect(r.traces().map((t) => t.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name)).toEqual(["span-0", "span-1", "span-2", "span-3"]);
    expect(r.connections).toBe(1);
  });
});

describe("createOtlpLogExporter", () => {
  it("exports log records to /v1/logs with the resource and body", async () => {
    const r = await receiver();
    const exporter = createOtlpLogExporter({ url: r.url("/v1/logs") });
    const logs = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": "worker" }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    cleanups.push(() => logs.shutdown());
    logs.getLogger("emp").emit({ severityNumber: SeverityNumber.WARN, severityText: "WARN", body: "job slow", attributes: { "job.id": "j-1" } });
    await logs.forceFlush();
    await r.waitForRequests(1);
    const resourceLogs = r.logs()[0]?.resourceLogs[0];
    expect(attributesOf(resourceLogs?.resource?.attributes)).toMatchObject({ "service.name": "worker" });
    const record = resourceLogs?.scopeLogs[0]?.logRecords[0];
    expect(record?.severityText).toBe("WARN");
    expect(record?.body?.value).toEqual({ case: "stringValue", value: "job slow" });
    expect(attributesOf(record?.attributes)).toEqual({ "job.id": "j-1" });
  });
});
