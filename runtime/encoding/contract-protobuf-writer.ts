// The protobuf encoding of the contract's log entries and spans, written directly (what protobuf-es's
// `toBinary` writes, byte for byte: fields in number order, proto3 defaults left out, map entries with
// key and value), so that the disk spool can serialize a record without loading protobuf-es and the
// contract's file descriptors: they load only when a spool reads records back (`lazy-spool-codec.ts`).
import type { ErrorInfo } from "../../generated/emp/telemetry/v1/error_pb.js";
import type { StandardLogEntry } from "../../generated/emp/telemetry/v1/log_pb.js";
import type { ServiceMetadata } from "../../generated/emp/telemetry/v1/service_pb.js";
import type { SpanEvent, SpanStatus, StandardTraceSpan } from "../../generated/emp/telemetry/v1/span_pb.js";
import type { TraceContext } from "../../generated/emp/telemetry/v1/trace_context_pb.js";
import type { Value } from "../../generated/emp/telemetry/v1/value_pb.js";
import { ProtoWriter, WireType } from "../wire/proto-writer.js";

const { Varint, Bit64, LengthDelimited } = WireType;

/** A `StandardLogEntry` as protobuf bytes (its own buffer, exactly as long as the encoding). */
export function standardLogEntryToBinary(m: StandardLogEntry): Uint8Array {
  const w = new ProtoWriter(512);
  if (m.timeUnixNano !== 0n) w.tag(1, Bit64).fixed64(m.timeUnixNano);
  if (m.level !== 0) w.tag(2, Varint).int32(m.level);
  str(w, 3, m.message);
  if (m.service !== undefined) service(w.tag(4, LengthDelimited).fork(), m.service).join();
  if (m.trace !== undefined) traceContext(w.tag(5, LengthDelimited).fork(), m.trace).join();
  valueMap(w, 6, m.data);
  if (m.error !== undefined) errorInfo(w.tag(7, LengthDelimited).fork(), m.error).join();
  str(w, 8, m.contractVersion);
  return w.finish().slice();
}

/** A `StandardTraceSpan` as protobuf bytes (its own buffer, exactly as long as the encoding). */
export function standardTraceSpanToBinary(m: StandardTraceSpan): Uint8Array {
  const w = new ProtoWriter(1024);
  str(w, 1, m.traceId);
  str(w, 2, m.spanId);
  str(w, 3, m.parentSpanId);
  str(w, 4, m.name);
  if (m.kind !== 0) w.tag(5, Varint).int32(m.kind);
  if (m.service !== undefined) service(w.tag(6, LengthDelimited).fork(), m.service).join();
  if (m.startTimeUnixNano !== 0n) w.tag(7, Bit64).fixed64(m.startTimeUnixNano);
  if (m.endTimeUnixNano !== 0n) w.tag(8, Bit64).fixed64(m.endTimeUnixNano);
  if (m.status !== undefined) spanStatus(w.tag(9, LengthDelimited).fork(), m.status).join();
  valueMap(w, 10, m.attributes);
  for (const event of m.events) spanEvent(w.tag(11, LengthDelimited).fork(), event).join();
  str(w, 12, m.contractVersion);
  str(w, 13, m.scopeName);
  str(w, 14, m.scopeVersion);
  return w.finish().slice();
}

/** A proto3 string field: left out when empty. */
function str(w: ProtoWriter, field: number, value: string): void {
  if (value !== "") w.tag(field, LengthDelimited).string(value);
}

function service(w: ProtoWriter, m: ServiceMetadata): ProtoWriter {
  str(w, 1, m.name);
  if (m.type !== 0) w.tag(2, Varint).int32(m.type);
  str(w, 3, m.environment);
  str(w, 4, m.version);
  str(w, 5, m.machineId);
  str(w, 6, m.workerId);
  str(w, 7, m.instanceId);
  str(w, 8, m.host);
  str(w, 9, m.machineType);
  str(w, 10, m.connectorType);
  return w;
}

function traceContext(w: ProtoWriter, m: TraceContext): ProtoWriter {
  str(w, 1, m.traceId);
  str(w, 2, m.spanId);
  str(w, 3, m.parentSpanId);
  if (m.traceFlags !== 0) w.tag(4, Varint).uint32(m.traceFlags);
  return w;
}

function errorInfo(w: ProtoWriter, m: ErrorInfo): ProtoWriter {
  str(w, 1, m.type);
  str(w, 2, m.message);
  str(w, 3, m.stack);
  for (const cause of m.causes) errorInfo(w.tag(4, LengthDelimited).fork(), cause).join();
  return w;
}

function spanStatus(w: ProtoWriter, m: SpanStatus): ProtoWriter {
  if (m.code !== 0) w.tag(1, Varint).int32(m.code);
  str(w, 2, m.message);
  return w;
}

function spanEvent(w: ProtoWriter, m: SpanEvent): ProtoWriter {
  str(w, 1, m.name);
  if (m.timeUnixNano !== 0n) w.tag(2, Bit64).fixed64(m.timeUnixNano);
  valueMap(w, 3, m.attributes);
  return w;
}

/** A `map<string, Value>` field: one entry message per key, key (1) and value (2) both written. */
function valueMap(w: ProtoWriter, field: number, map: { readonly [key: string]: Value }): void {
  for (const key in map) {
    w.tag(field, LengthDelimited).fork();
    w.tag(1, LengthDelimited).string(key);
    value(w.tag(2, LengthDelimited).fork(), map[key] as Value).join();
    w.join();
  }
}

/** A `Value`: its oneof member, written whatever its value (a oneof has presence). */
function value(w: ProtoWriter, v: Value): ProtoWriter {
  const kind = v.kind;
  switch (kind.case) {
    case "stringValue":
      w.tag(1, LengthDelimited).string(kind.value);
      break;
    case "intValue":
      w.tag(2, Varint).int64(kind.value);
      break;
    case "doubleValue":
      w.tag(3, Bit64).double(kind.value);
      break;
    case "boolValue":
      w.tag(4, Varint).bool(kind.value);
      break;
    case "listValue":
      w.tag(5, LengthDelimited).fork();
      for (const item of kind.value.values) value(w.tag(1, LengthDelimited).fork(), item).join();
      w.join();
      break;
    case "mapValue":
      w.tag(6, LengthDelimited).fork();
      valueMap(w, 1, kind.value.fields);
      w.join();
      break;
    default:
      break;
  }
  return w;
}
