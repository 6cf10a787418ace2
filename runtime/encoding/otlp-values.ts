import { type ProtoWriter, WireType } from "../wire/proto-writer.js";
import type { PlainRecord, PlainValue } from "../../generated/index.js";

// OTLP (opentelemetry/proto/common/v1) written field by field with our ProtoWriter, so the client's
// OTLP path loads no descriptor and no protobuf-es reflection. The test receivers decode it with the
// schemas generated from the OTLP protos, which checks every field number here.

const LEN = WireType.LengthDelimited;

/** Writes an AnyValue (as field `fieldNo` of the enclosing message): integers as int_value, other numbers as double_value. */
export function writeAnyValue(w: ProtoWriter, fieldNo: number, v: PlainValue): void {
  w.tag(fieldNo, LEN).fork();
  if (typeof v === "string") w.tag(1, LEN).string(v);
  else if (typeof v === "boolean") w.tag(2, WireType.Varint).bool(v);
  else if (typeof v === "number") {
    if (Number.isSafeInteger(v)) w.tag(3, WireType.Varint).int64(v);
    else w.tag(4, WireType.Bit64).double(v);
  } else if (Array.isArray(v)) {
    w.tag(5, LEN).fork();
    for (const item of v) writeAnyValue(w, 1, item);
    w.join();
  } else {
    w.tag(6, LEN).fork();
    writeKeyValues(w, 1, v);
    w.join();
  }
  w.join();
}

/** Writes each entry of `record` as a KeyValue, repeated field `fieldNo`, in the record's key order. */
export function writeKeyValues(w: ProtoWriter, fieldNo: number, record: PlainRecord): void {
  for (const key of Object.keys(record)) {
    w.tag(fieldNo, LEN).fork();
    w.tag(1, LEN).string(key);
    writeAnyValue(w, 2, record[key]!);
    w.join();
  }
}

/** `resource` with `extra` attributes added under it (the resource's own keys win); `resource` itself when there are none. Once per batch. */
export function withExtraResource(resource: PlainRecord, extra: Readonly<Record<string, string>> | undefined): PlainRecord {
  if (extra === undefined) return resource;
  let merged: PlainRecord | undefined;
  for (const key in extra) {
    merged ??= {};
    merged[key] = extra[key]!;
  }
  return merged === undefined ? resource : { ...merged, ...resource };
}

/** Writes a Resource with these attributes as field `fieldNo`. */
export function writeResource(w: ProtoWriter, fieldNo: number, attributes: PlainRecord): void {
  w.tag(fieldNo, LEN).fork();
  writeKeyValues(w, 1, attributes);
  w.join();
}

/** Writes an InstrumentationScope as field `fieldNo`. */
export function writeScope(w: ProtoWriter, fieldNo: number, scope: { readonly name: string; readonly version: string }): void {
  w.tag(fieldNo, LEN).fork().tag(1, LEN).string(scope.name).tag(2, LEN).string(scope.version).join();
}

/** Bytes of a lowercase hex id (trace or span id); empty for an empty string. */
export function hexToBytes(hex: string): Uint8Array {
  return hex === "" ? new Uint8Array(0) : Uint8Array.from(Buffer.from(hex, "hex"));
}
