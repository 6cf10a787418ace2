import { nanosToIso } from "../../generated/emp/telemetry/v1/contract_support.js";
import type { FluentdHttpBatch } from "../../runtime/transports/fluentd-http/fluentd-http-transport.js";
import type { ForwardBatch } from "../../runtime/transports/forward/forward-transport.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";
import type { EncodedBatch } from "../../runtime/transports/transport.js";

/** One record with its EventTime. */
export interface TimedRecord {
  readonly seconds: number;
  readonly nanos: number;
  readonly record: Record<string, unknown>;
}

/** Encodes records as a forward batch (concatenated `[EventTime, record]` entries). */
export function makeBatch(tag: string, records: readonly TimedRecord[]): ForwardBatch {
  const writer = new MsgpackWriter();
  for (const { seconds, nanos, record } of records) writer.writeEntry(seconds, nanos, record);
  const body = writer.toBytes();
  return { tag, body, count: records.length, bytes: body.byteLength };
}

/**
 * Encodes records as an `in_http` batch: a msgpack array of maps with `timeKey` appended last as an
 * EventTime, or a JSON array of objects with `timeKey` as float seconds (replacing a field of that name).
 */
export function makeHttpBatch(tag: string, records: readonly TimedRecord[], format: "msgpack" | "json" = "msgpack", timeKey = "time"): FluentdHttpBatch {
  let body: Uint8Array;
  if (format === "json") {
    body = Buffer.from(JSON.stringify(records.map(({ seconds, nanos, record }) => ({ ...record, [timeKey]: seconds + nanos / 1e9 }))), "utf8");
  } else {
    const writer = new MsgpackWriter();
    writer.writeArrayHeader(records.length);
    for (const { seconds, nanos, record } of records) {
      const keys = Object.keys(record);
      writer.writeMapHeader(keys.length + 1);
      for (const key of keys) {
        writer.writeString(key);
        writer.writeValue(record[key]);
      }
      writer.writeString(timeKey);
      writer.writeEventTime(seconds, nanos);
    }
    body = writer.toBytes();
  }
  return { tag, format, body, count: records.length, bytes: body.byteLength };
}

/** Encodes records as NDJSON lines: each record, then `time` (RFC 3339 with nanoseconds) and, if given, `tagKey` → `tag`. */
export function makeNdjsonBatch(records: readonly TimedRecord[], tag = "", tagKey = ""): EncodedBatch {
  const lines = records.map(({ seconds, nanos, record }) => {
    const line: Record<string, unknown> = { ...record, time: nanosToIso(BigInt(seconds) * 1_000_000_000n + BigInt(nanos)) };
    if (tagKey !== "") line[tagKey] = tag;
    return `${JSON.stringify(line)}\n`;
  });
  const body = Buffer.from(lines.join(""), "utf8");
  return { body, count: records.length, bytes: body.byteLength };
}

/** `count` records `{ id: "<prefix>-<i>", i }` at 1700000000.123456789 + i ns. */
export function numberedRecords(prefix: string, count: number): TimedRecord[] {
  return Array.from({ length: count }, (_, i) => ({ seconds: 1700000000, nanos: 123456789 + i, record: { id: `${prefix}-${i}`, i } }));
}
