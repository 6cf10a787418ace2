import { type DescMessage, fromBinary, toJson } from "@bufbuild/protobuf";
import type { EncodedBatch } from "../transports/transport.js";
import { wellFormedJson } from "./well-formed-json.js";

/** The OTLP message fields that hold trace and span ids: hex in OTLP/JSON, not protobuf JSON's base64. */
const idFields: ReadonlySet<string> = new Set(["traceId", "spanId", "parentSpanId"]);

/**
 * An encoder of OTLP/JSON from one that writes protobuf: each batch's bytes are decoded with `schema`
 * (the generated `Export{Trace,Logs,Metrics}ServiceRequest` of the OTLP protos) and written with
 * protobuf-es's JSON mapping as OTLP asks (lowerCamelCase keys, enums as integers, 64-bit integers as
 * strings), trace and span ids turned from base64 into hex. For a signal without a JSON encoder of its
 * own (metrics): 3.5–5.5× the CPU of the protobuf encoding (bench `otlp-protocols`), fine once a minute,
 * not for logs or spans (`encodeOtlpLogsJson`, `encodeOtlpSpansJson` write JSON directly).
 *
 * The returned encoder throws what `encode` throws, or a protobuf-es error when the bytes do not
 * decode with `schema` (a bug: the sink counts it); it runs off the call path, once per batch.
 */
export function otlpJsonFromProtobuf<R>(schema: DescMessage, encode: (records: R[]) => EncodedBatch): (records: R[]) => EncodedBatch {
  return (records) => otlpJsonBatch(schema, encode(records));
}

/** One protobuf `batch` of `schema` rewritten as OTLP/JSON (see {@link otlpJsonFromProtobuf}); throws a protobuf-es error when it does not decode. */
export function otlpJsonBatch(schema: DescMessage, batch: EncodedBatch): EncodedBatch {
  const json = toJson(schema, fromBinary(schema, batch.body), { enumAsInteger: true });
  const text = wellFormedJson(json === null ? {} : hexIds(json));
  const body = Buffer.from(text, "utf8");
  return { body, count: batch.count, bytes: body.byteLength };
}

/** `value` with every id field's base64 string rewritten as lowercase hex, in place. */
function hexIds(value: unknown): unknown {
  if (Array.isArray(value)) for (const item of value) hexIds(item);
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (idFields.has(key) && typeof v === "string") record[key] = Buffer.from(v, "base64").toString("hex");
      else hexIds(v);
    }
  }
  return value;
}
