// OTLP/JSON encoders against the protobuf ones: the same records encoded both ways decode to equal
// messages (protobuf-es reads the JSON after OTLP's one deviation, hex ids, is turned back into
// base64), and the JSON follows OTLP's JSON mapping (hex ids, integer enums, 64-bit values as strings).
import { fromBinary, fromJsonString, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { ExportLogsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportTraceServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { encodeOtlpLogs } from "../../runtime/encoding/otlp-log-encoder.js";
import { encodeOtlpLogsJson } from "../../runtime/encoding/otlp-log-json-encoder.js";
import { encodeOtlpSpans } from "../../runtime/encoding/otlp-span-encoder.js";
import { encodeOtlpSpansJson } from "../../runtime/encoding/otlp-span-json-encoder.js";
import { testService, validLogEntry, validSpan } from "../helpers/collector-harness.js";

const idKeys = new Set(["traceId", "spanId", "parentSpanId"]);

/** OTLP/JSON text as protobuf's canonical JSON: hex ids back to base64 (the only deviation OTLP makes). */
function asProtoJson(text: string): string {
  return JSON.stringify(JSON.parse(text), (key, value: unknown) =>
    idKeys.has(key) && typeof value === "string" ? Buffer.from(value, "hex").toString("base64") : value,
  );
}

const attributes = { "http.response.status_code": 200, "emp.ratio": 0.25, "emp.cached": false, "emp.tags": ["a", 2], "emp.nested": { k: "v" } };

function spans(): c.StandardTraceSpan[] {
  const child = c.buildStandardTraceSpan({
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "1111111111111111",
    parentSpanId: "00f067aa0ba902b7",
    name: 'db.query \u{1F600} "quoted"\n',
    kind: c.SpanKind.CLIENT,
    service: testService,
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 1_700_000_000_223_456_789n,
    status: { code: c.StatusCode.ERROR, message: "connection reset" },
    attributes: c.mapValueFromPlain(attributes).fields,
  });
  const other = c.buildStandardTraceSpan({
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "2222222222222222",
    name: "other service",
    service: { ...testService, name: "worker" },
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_000_000_001n,
  });
  return [validSpan("GET /jobs/:id", attributes), child, other];
}

function logs(): c.StandardLogEntry[] {
  const traced = c.buildStandardLogEntry({
    timeUnixNano: 1_700_000_000_123_456_789n,
    level: c.LogLevel.ERROR,
    message: "traced",
    service: testService,
    trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" },
    data: c.mapValueFromPlain(attributes).fields,
  });
  return [validLogEntry("plain"), traced, validLogEntry("line\nbreak \u00e9")];
}

describe("encodeOtlpSpansJson", () => {
  it("carries exactly what encodeOtlpSpans carries", () => {
    const records = spans();
    const json = encodeOtlpSpansJson(records);
    const fromJson = fromJsonString(ExportTraceServiceRequestSchema, asProtoJson(Buffer.from(json.body).toString("utf8")));
    const fromProto = fromBinary(ExportTraceServiceRequestSchema, encodeOtlpSpans(records).body);
    expect(fromJson.resourceSpans).toHaveLength(2);
    expect(toJson(ExportTraceServiceRequestSchema, fromJson)).toEqual(toJson(ExportTraceServiceRequestSchema, fromProto));
    expect(json).toMatchObject({ count: 3, bytes: json.body.byteLength });
  });

  it("writes OTLP/JSON: hex ids, kind and status code as integers, times and integers as strings", () => {
    const request = JSON.parse(Buffer.from(encodeOtlpSpansJson(spans()).body).toString("utf8"));
    const span = request.resourceSpans[0].scopeSpans[0].spans[1];
    expect(span).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "1111111111111111",
      parentSpanId: "00f067aa0ba902b7",
      kind: 3,
      startTimeUnixNano: "1700000000123456789",
      status: { code: 2, message: "connection reset" },
    });
    const byKey = Object.fromEntries(span.attributes.map((kv: { key: string; value: unknown }) => [kv.key, kv.value]));
    expect(byKey["http.response.status_code"]).toEqual({ intValue: "200" });
    expect(byKey["emp.ratio"]).toEqual({ doubleValue: 0.25 });
    expect(byKey["emp.tags"]).toEqual({ arrayValue: { values: [{ stringValue: "a" }, { intValue: "2" }] } });
    expect(request.resourceSpans[0].scopeSpans[0].scope.name).toBe("@emp/telemetry");
  });
});

describe("encodeOtlpLogsJson", () => {
  it("carries exactly what encodeOtlpLogs carries", () => {
    const records = logs();
    const json = encodeOtlpLogsJson(records);
    const fromJson = fromJsonString(ExportLogsServiceRequestSchema, asProtoJson(Buffer.from(json.body).toString("utf8")));
    const fromProto = fromBinary(ExportLogsServiceRequestSchema, encodeOtlpLogs(records).body);
    expect(fromJson.resourceLogs[0]?.scopeLogs[0]?.logRecords).toHaveLength(3);
    expect(toJson(ExportLogsServiceRequestSchema, fromJson)).toEqual(toJson(ExportLogsServiceRequestSchema, fromProto));
  });

  it("writes OTLP/JSON: hex ids, severity as an integer, times as strings", () => {
    const request = JSON.parse(Buffer.from(encodeOtlpLogsJson(logs()).body).toString("utf8"));
    const record = request.resourceLogs[0].scopeLogs[0].logRecords[1];
    expect(record).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      severityNumber: 17,
      body: { stringValue: "traced" },
    });
    expect(record.timeUnixNano).toMatch(/^\d{19}$/);
    expect(record.observedTimeUnixNano).toBe(record.timeUnixNano);
  });
});
