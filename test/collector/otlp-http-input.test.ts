/**
 * The collector's OTLP/HTTP input: OTel's own protobuf exporters (traces and logs), hand-made OTLP/JSON
 * bodies (hex ids, enums as integers, int64 as strings) and our OTLP transport with gzip.
 */
import { gzipSync } from "node:zlib";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import type { Collector } from "../../runtime/collector/collector.js";
import { encodeOtlpLogs } from "../../runtime/encoding/otlp-log-encoder.js";
import { encodeOtlpSpans } from "../../runtime/encoding/otlp-span-encoder.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector, validLogEntry, validSpan } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();

const jsonLogs = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "json-svc" } }] },
      scopeLogs: [
        {
          scope: { name: "hand-made" },
          logRecords: [
            {
              timeUnixNano: "1700000000000000001",
              severityNumber: 9,
              severityText: "INFO",
              body: { stringValue: "hello json" },
              traceId: "5b8efff798038103d269b633813fc60c",
              spanId: "eee19b7ec3c1b174",
              attributes: [{ key: "count", value: { intValue: "3" } }],
              eventName: "a field newer than the collector's protos",
            },
          ],
        },
      ],
    },
  ],
};

const jsonTraces = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "json-svc" } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: "5b8efff798038103d269b633813fc60c",
              spanId: "eee19b7ec3c1b174",
              parentSpanId: "eee19b7ec3c1b173",
              name: "GET /jobs",
              kind: 2,
              startTimeUnixNano: "1700000000000000000",
              endTimeUnixNano: "1700000000250000000",
              status: { code: 1 },
            },
          ],
        },
      ],
    },
  ],
};

function post(collector: Collector, path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${collector.ports.otlpHttp}${path}`, { method: "POST", body, headers });
}

describe("the OTLP/HTTP input", () => {
  it("takes spans from OTel's exporter-trace-otlp-proto", async () => {
    const collector = await startTestCollector(cleanups);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "otel-app" }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${collector.ports.otlpHttp}/v1/traces` }))],
    });
    cleanups.push(() => provider.shutdown());
    const arrived = nextRecords(collector, 1);
    const span = provider.getTracer("t").startSpan("db.query", { attributes: { "db.system": "postgresql" } });
    span.end();
    await provider.forceFlush();
    const [record] = await arrived;
    expect(record).toMatchObject({ source: "otlpHttp", path: "/v1/traces", signal: "spans", service: "otel-app" });
    expect(record?.record).toMatchObject({
      name: "db.query",
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      attributes: { "db.system": "postgresql" },
    });
  });

  it("takes log records from OTel's exporter-logs-otlp-proto", async () => {
    const collector = await startTestCollector(cleanups);
    const logs = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": "otel-logs" }),
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${collector.ports.otlpHttp}/v1/logs` }) })],
    });
    cleanups.push(() => logs.shutdown());
    const arrived = nextRecords(collector, 1);
    logs.getLogger("emp").emit({ severityNumber: SeverityNumber.WARN, severityText: "WARN", body: "job slow", attributes: { "emp.job.id": "j-1" } });
    await logs.forceFlush();
    const [record] = await arrived;
    expect(record).toMatchObject({ source: "otlpHttp", path: "/v1/logs", signal: "logs", service: "otel-logs" });
    expect(record?.record).toMatchObject({ body: "job slow", severityNumber: 13, attributes: { "emp.job.id": "j-1" } });
  });

  it("takes hand-made OTLP/JSON logs with hex ids, integer enums and int64 strings", async () => {
    const collector = await startTestCollector(cleanups);
    const arrived = nextRecords(collector, 1);
    const res = await post(collector, "/v1/logs", JSON.stringify(jsonLogs), { "content-type": "application/json" });
    expect([res.status, await res.json()]).toEqual([200, {}]);
    expect((await arrived)[0]?.record).toEqual({
      resource: { "service.name": "json-svc" },
      timeUnixNano: "1700000000000000001",
      severityNumber: 9,
      severityText: "INFO",
      body: "hello json",
      traceId: "5b8efff798038103d269b633813fc60c",
      spanId: "eee19b7ec3c1b174",
      traceFlags: 0,
      attributes: { count: 3 },
    });
  });

  it("takes hand-made OTLP/JSON spans, gzip-compressed", async () => {
    const collector = await startTestCollector(cleanups);
    const arrived = nextRecords(collector, 1);
    const res = await post(collector, "/v1/traces", gzipSync(JSON.stringify(jsonTraces)), { "content-type": "application/json", "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect((await arrived)[0]?.record).toMatchObject({
      traceId: "5b8efff798038103d269b633813fc60c",
      parentSpanId: "eee19b7ec3c1b173",
      kind: 2,
      status: { code: 1, message: "" },
      endTimeUnixNano: "1700000000250000000",
    });
  });

  it("finds no violation in our client's spans and logs sent by our OTLP transport with gzip", async () => {
    const collector = await startTestCollector(cleanups);
    const base = `http://127.0.0.1:${collector.ports.otlpHttp}`;
    const traces = createOtlpHttpTransport({ url: `${base}/v1/traces`, compression: "gzip" });
    const logs = createOtlpHttpTransport({ url: `${base}/v1/logs`, signal: "logs", compression: "gzip" });
    cleanups.push(
      () => traces.close(),
      () => logs.close(),
    );
    const arrived = nextRecords(collector, 2);
    expect((await traces.send(encodeOtlpSpans([validSpan("job.processing", { "emp.job.id": "j-9" })]))).status).toBe("ok");
    expect((await logs.send(encodeOtlpLogs([validLogEntry("from the client", { "emp.job.id": "j-9" })]))).status).toBe("ok");
    const records = await arrived;
    expect(records.map((r) => [r.signal, r.service, r.violations])).toEqual([
      ["spans", "collector-test", []],
      ["logs", "collector-test", []],
    ]);
  });

  it("answers 415 to another content type and 400 to a body that does not decode", async () => {
    const collector = await startTestCollector(cleanups);
    expect((await post(collector, "/v1/traces", "x", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post(collector, "/v1/traces", Uint8Array.of(0xff, 0xff, 0xff), { "content-type": "application/x-protobuf" })).status).toBe(400);
    expect((await post(collector, "/v1/nothing", "{}", { "content-type": "application/json" })).status).toBe(404);
    expect(collector.status().hops.otlpHttp.errors).toBe(3);
  });
});
