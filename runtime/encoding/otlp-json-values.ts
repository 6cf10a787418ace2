import type { PlainRecord, PlainValue } from "../../generated/index.js";

// OTLP values in OTLP/JSON's shape (the protobuf JSON mapping with OTLP's exceptions): lowerCamelCase
// keys, 64-bit integers as decimal strings, enums as integers, trace and span ids as hex (not base64).
// Written from the same mapped records as otlp-values.ts writes protobuf from, field for field.

/** An `AnyValue` in OTLP/JSON. */
export type JsonAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number | string }
  | { readonly arrayValue: { readonly values: JsonAnyValue[] } }
  | { readonly kvlistValue: { readonly values: JsonKeyValue[] } };

/** A `KeyValue` in OTLP/JSON. */
export interface JsonKeyValue {
  readonly key: string;
  readonly value: JsonAnyValue;
}

/**
 * An AnyValue: integers as `intValue` (a decimal string, as int64 is in JSON), other numbers as
 * `doubleValue` (`"NaN"`, `"Infinity"`, `"-Infinity"` as proto3 JSON writes them), as the protobuf encoder chooses.
 */
export function jsonAnyValue(v: PlainValue): JsonAnyValue {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return { intValue: String(v) };
    return { doubleValue: Number.isFinite(v) ? v : String(v) };
  }
  if (Array.isArray(v)) return { arrayValue: { values: v.map(jsonAnyValue) } };
  return { kvlistValue: { values: jsonKeyValues(v) } };
}

/** Each entry of `record` as a KeyValue, in the record's key order. */
export function jsonKeyValues(record: PlainRecord): JsonKeyValue[] {
  const values: JsonKeyValue[] = [];
  for (const key of Object.keys(record)) values.push({ key, value: jsonAnyValue(record[key]!) });
  return values;
}

/** A nanosecond time (fixed64) as OTLP/JSON writes it: a decimal string. */
export function jsonNanos(nanos: bigint): string {
  return nanos.toString();
}
