import { fromBinary, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { int64ToPlain, type OtlpLogRecord, type OtlpSpan, type PlainRecord, type PlainValue } from "../../generated/index.js";
import { ExportLogsServiceRequestSchema, type ExportLogsServiceRequest } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import {
  ExportMetricsServiceRequestSchema,
  type ExportMetricsServiceRequest,
} from "../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { ExportTraceServiceRequestSchema, type ExportTraceServiceRequest } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { AnyValue, KeyValue } from "../../generated/opentelemetry/proto/common/v1/common_pb.js";
import type { InstrumentationLibrarySpans, ScopeSpans } from "../../generated/opentelemetry/proto/trace/v1/trace_pb.js";

/** OTLP signals the collector stores. */
export type OtlpPath = "/v1/traces" | "/v1/logs";

/** A decoded OTLP/HTTP body, or why it could not be decoded. */
export type OtlpDecodeResult<T> = { readonly ok: true; readonly request: T } | { readonly ok: false; readonly reason: string };

const hexIdKeys: ReadonlySet<string> = new Set(["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"]);
const hexId = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * OTLP/JSON differs from the canonical protobuf JSON mapping that `fromJson` implements in one way
 * that matters: trace and span ids are hex strings, not base64 (enums as integers and int64 as
 * strings are standard protobuf JSON already). This rewrites every id field to base64, in place,
 * wherever it sits (spans, links, log records). Values that are not hex are left for `fromJson`.
 */
function hexIdsToBase64(value: unknown, depth = 0): void {
  if (depth > 64 || typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) hexIdsToBase64(item, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (hexIdKeys.has(key) && typeof v === "string" && hexId.test(v)) record[key] = Buffer.from(v, "hex").toString("base64");
    else hexIdsToBase64(v, depth + 1);
  }
}

function decode<T>(parse: () => T): OtlpDecodeResult<T> {
  try {
    return { ok: true, request: parse() };
  } catch (e: unknown) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Decodes an `ExportTraceServiceRequest` body: protobuf, or OTLP/JSON (hex ids, unknown fields ignored). Never throws. */
export function decodeTraceRequest(body: Uint8Array, json: boolean): OtlpDecodeResult<ExportTraceServiceRequest> {
  return decode(() =>
    json ? fromJson(ExportTraceServiceRequestSchema, otlpJson(body), { ignoreUnknownFields: true }) : fromBinary(ExportTraceServiceRequestSchema, body),
  );
}

/** Decodes an `ExportLogsServiceRequest` body: protobuf, or OTLP/JSON (hex ids, unknown fields ignored). Never throws. */
export function decodeLogsRequest(body: Uint8Array, json: boolean): OtlpDecodeResult<ExportLogsServiceRequest> {
  return decode(() =>
    json ? fromJson(ExportLogsServiceRequestSchema, otlpJson(body), { ignoreUnknownFields: true }) : fromBinary(ExportLogsServiceRequestSchema, body),
  );
}

/** Decodes an `ExportMetricsServiceRequest` body: protobuf, or OTLP/JSON (unknown fields ignored). Never throws. */
export function decodeMetricsRequest(body: Uint8Array, json: boolean): OtlpDecodeResult<ExportMetricsServiceRequest> {
  return decode(() =>
    json ? fromJson(ExportMetricsServiceRequestSchema, otlpJson(body), { ignoreUnknownFields: true }) : fromBinary(ExportMetricsServiceRequestSchema, body),
  );
}

/** The data points of every metric of a request (gauge, sum, histogram, exponential histogram, summary). */
export function otlpMetricPointCount(request: ExportMetricsServiceRequest): number {
  let n = 0;
  for (const rm of request.resourceMetrics) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.data.value?.dataPoints.length ?? 0;
  return n;
}

function otlpJson(body: Uint8Array): JsonValue {
  const parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8")) as JsonValue;
  hexIdsToBase64(parsed);
  return parsed;
}

/** A plain value of an OTLP AnyValue: int64 as a number when safe, bytes as base64. */
export function anyValueToPlain(v: AnyValue | undefined, depth = 0): PlainValue | undefined {
  const value = v?.value;
  if (value === undefined || depth > 16) return undefined;
  switch (value.case) {
    case "stringValue":
    case "boolValue":
    case "doubleValue":
      return value.value;
    case "intValue":
      return int64ToPlain(value.value);
    case "bytesValue":
      return Buffer.from(value.value).toString("base64");
    case "arrayValue":
      return value.value.values.map((x) => anyValueToPlain(x, depth + 1)).filter((x): x is PlainValue => x !== undefined);
    case "kvlistValue":
      return keyValuesToPlain(value.value.values, depth + 1);
    default:
      return undefined;
  }
}

/** OTLP attributes as a plain record (later duplicates win; empty values are dropped). */
export function keyValuesToPlain(kvs: readonly KeyValue[], depth = 0): PlainRecord {
  const out: PlainRecord = {};
  for (const kv of kvs) {
    const v = anyValueToPlain(kv.value, depth);
    if (v !== undefined) Object.defineProperty(out, kv.key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

/**
 * Every log record of a request in the contract's `OtlpLogRecord` shape, with its resource: ids
 * hex, a non-string body as JSON text, time falling back to the observed time, trace flags the low
 * byte of `flags`. Deprecated `instrumentation_library_logs` are read too.
 */
export function otlpLogRecords(request: ExportLogsServiceRequest): OtlpLogRecord[] {
  const out: OtlpLogRecord[] = [];
  for (const rl of request.resourceLogs) {
    const resource = keyValuesToPlain(rl.resource?.attributes ?? []);
    for (const scope of [...rl.scopeLogs, ...rl.instrumentationLibraryLogs]) {
      for (const r of scope.logRecords) {
        const body = anyValueToPlain(r.body);
        out.push({
          resource,
          timeUnixNano: r.timeUnixNano === 0n ? r.observedTimeUnixNano : r.timeUnixNano,
          severityNumber: r.severityNumber,
          severityText: r.severityText,
          body: body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body),
          traceId: hex(r.traceId),
          spanId: hex(r.spanId),
          traceFlags: r.flags & 0xff,
          attributes: keyValuesToPlain(r.attributes),
        });
      }
    }
  }
  return out;
}

/** The instrumentation scope of a group of spans, from OTLP's `scope` or the deprecated `instrumentation_library`. */
function scopeOf(spans: ScopeSpans | InstrumentationLibrarySpans): { name?: string; version?: string } {
  return (spans.$typeName === "opentelemetry.proto.trace.v1.ScopeSpans" ? spans.scope : spans.instrumentationLibrary) ?? {};
}

/** Every span of a request in the contract's `OtlpSpan` shape, with its resource; ids hex. */
export function otlpSpans(request: ExportTraceServiceRequest): OtlpSpan[] {
  const out: OtlpSpan[] = [];
  for (const rs of request.resourceSpans) {
    const resource = keyValuesToPlain(rs.resource?.attributes ?? []);
    for (const scope of [...rs.scopeSpans, ...rs.instrumentationLibrarySpans]) {
      const { name = "", version = "" } = scopeOf(scope);
      for (const s of scope.spans) {
        out.push({
          resource,
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          traceFlags: 0,
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: s.startTimeUnixNano,
          endTimeUnixNano: s.endTimeUnixNano,
          status: { code: s.status?.code ?? 0, message: s.status?.message ?? "" },
          attributes: keyValuesToPlain(s.attributes),
          events: s.events.map((e) => ({ name: e.name, timeUnixNano: e.timeUnixNano, attributes: keyValuesToPlain(e.attributes) })),
          scope: { name, version },
        });
      }
    }
  }
  return out;
}
