import { create } from "@bufbuild/protobuf";
import type { PlainRecord, PlainValue } from "../../generated/index.js";
import { type AnyValue, AnyValueSchema, type KeyValue, KeyValueSchema } from "../../generated/opentelemetry/proto/common/v1/common_pb.js";

/** OTLP AnyValue of a plain value: integers as int_value, other numbers as double_value, lists and maps nested. */
export function toAnyValue(v: PlainValue): AnyValue {
  if (typeof v === "string") return create(AnyValueSchema, { value: { case: "stringValue", value: v } });
  if (typeof v === "boolean") return create(AnyValueSchema, { value: { case: "boolValue", value: v } });
  if (typeof v === "number") {
    return Number.isSafeInteger(v)
      ? create(AnyValueSchema, { value: { case: "intValue", value: BigInt(v) } })
      : create(AnyValueSchema, { value: { case: "doubleValue", value: v } });
  }
  if (Array.isArray(v)) return create(AnyValueSchema, { value: { case: "arrayValue", value: { values: v.map(toAnyValue) } } });
  return create(AnyValueSchema, { value: { case: "kvlistValue", value: { values: toKeyValues(v) } } });
}

/** OTLP KeyValue list of a plain record, in the record's key order. */
export function toKeyValues(record: PlainRecord): KeyValue[] {
  return Object.keys(record).map((key) => create(KeyValueSchema, { key, value: toAnyValue(record[key]!) }));
}

/** Bytes of a lowercase hex id (trace or span id); empty for an empty string. */
export function hexToBytes(hex: string): Uint8Array {
  return hex === "" ? new Uint8Array(0) : Uint8Array.from(Buffer.from(hex, "hex"));
}
