// Our OTLP span encoding against OpenTelemetry's own (@opentelemetry/exporter-trace-otlp-proto, a
// devDependency kept as this oracle): the same finished spans, encoded by encodeOtlpSpans after
// spanToContract (as our span processor reads them) and by OTel's exporter to a local receiver, decode to the same spans.
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import type { ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { buildServiceMetadata } from "../../generated/index.js";
import { ExportTraceServiceRequestSchema, type ExportTraceServiceRequest } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { encodeOtlpSpans } from "../../runtime/encoding/otlp-span-encoder.js";
import { createRepairCounts } from "../../runtime/records/repair.js";
import { spanToContract } from "../../runtime/tracing/span-to-contract.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { finishedSpanOf } from "../helpers/finished-span.js";
import { hex, startOtlpReceiver } from "../helpers/otlp-receiver.js";

const cleanups = cleanupsAfterEach();

function finishedSpans(): ReadableSpan[] {
  const ended: ReadableSpan[] = [];
  const collect: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (s) => void ended.push(s),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const tracer = new BasicTracerProvider({ spanProcessors: [collect] }).getTracer("oracle");
  const parent = tracer.startSpan("GET /jobs/:id", {
    kind: SpanKind.SERVER,
    attributes: { "http.request.method": "GET", "http.response.status_code": 200, "emp.ratio": 0.25, "emp.cached": false, "emp.tags": ["a", "b"] },
  });
  const child = tracer.startSpan("db.query", { attributes: { "db.system": "postgresql" } }, trace.setSpan(context.active(), parent));
  child.addEvent("retry", { attempt: 2, "emp.reason": "timeout" });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "connection reset" });
  child.end();
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end();
  tracer.startSpan("internal step").end();
  return ended;
}

/** Every span of a request, as the fields both encoders fill (resource and scope differ by design: ours are the contract's). */
function spansOf(request: ExportTraceServiceRequest | undefined) {
  return (request?.resourceSpans ?? [])
    .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
    .map((s) => ({
      traceId: hex(s.traceId),
      spanId: hex(s.spanId),
      parentSpanId: hex(s.parentSpanId),
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano,
      endTimeUnixNano: s.endTimeUnixNano,
      attributes: s.attributes,
      events: s.events.map((e) => ({ timeUnixNano: e.timeUnixNano, name: e.name, attributes: e.attributes })),
      status: { code: s.status?.code ?? 0, message: s.status?.message ?? "" },
    }));
}

describe("encodeOtlpSpans against OpenTelemetry's exporter-trace-otlp-proto", () => {
  it("encodes ids, names, kinds, times, typed attributes, events and statuses as OpenTelemetry does", async () => {
    const spans = finishedSpans();
    const service = buildServiceMetadata({ name: "api", type: 1, environment: "test" });
    const ours = fromBinary(
      ExportTraceServiceRequestSchema,
      encodeOtlpSpans(spans.map((s) => spanToContract(finishedSpanOf(s), service, createRepairCounts()))).body,
    );

    const receiver = await startOtlpReceiver();
    cleanups.push(() => receiver.close());
    const exporter = new OTLPTraceExporter({ url: receiver.url("/v1/traces") });
    cleanups.push(() => exporter.shutdown());
    const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    expect(result.error).toBeUndefined();

    const expected = spansOf(receiver.traces()[0]);
    expect(expected).toHaveLength(3);
    // Beyond OpenTelemetry's fields, every contract span carries the contract's version.
    const contractVersion = "emp.contract.version";
    const received = spansOf(ours);
    for (const span of received) expect(span.attributes.map((a) => a.key)).toContain(contractVersion);
    expect(received.map((span) => ({ ...span, attributes: span.attributes.filter((a) => a.key !== contractVersion) }))).toEqual(expected);
  });
});

describe("instrumentation scopes", () => {
  it("groups spans by the tracer that made them, as OpenTelemetry's exporter does", async () => {
    const ended: ReadableSpan[] = [];
    const collect: SpanProcessor = { onStart: () => undefined, onEnd: (s) => void ended.push(s), forceFlush: async () => {}, shutdown: async () => {} };
    const provider = new BasicTracerProvider({ spanProcessors: [collect] });
    provider.getTracer("@opentelemetry/instrumentation-http", "0.223.0").startSpan("GET").end();
    provider.getTracer("pg-driver").startSpan("db.query").end();
    provider.getTracer("@opentelemetry/instrumentation-http", "0.223.0").startSpan("POST").end();
    const service = buildServiceMetadata({ name: "api", type: 1, environment: "test" });
    const ours = fromBinary(
      ExportTraceServiceRequestSchema,
      encodeOtlpSpans(ended.map((s) => spanToContract(finishedSpanOf(s), service, createRepairCounts()))).body,
    );

    const receiver = await startOtlpReceiver();
    cleanups.push(() => receiver.close());
    const exporter = new OTLPTraceExporter({ url: receiver.url("/v1/traces") });
    cleanups.push(() => exporter.shutdown());
    expect((await new Promise<ExportResult>((resolve) => exporter.export(ended, resolve))).error).toBeUndefined();

    const scopes = (request: ExportTraceServiceRequest | undefined) =>
      (request?.resourceSpans ?? []).flatMap((rs) => rs.scopeSpans.map((ss) => [ss.scope?.name, ss.scope?.version, ss.spans.map((s) => s.name)]));
    expect(scopes(ours)).toEqual([
      ["@opentelemetry/instrumentation-http", "0.223.0", ["GET", "POST"]],
      ["pg-driver", "", ["db.query"]],
    ]);
    expect(scopes(ours)).toEqual(scopes(receiver.traces()[0]));
  });
});
