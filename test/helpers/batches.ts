import type { EncodedBatch } from "../../runtime/transports/transport.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";

/** One record with its EventTime. */
export interface TimedRecord {
  readonly seconds: number;
  readonly nanos: number;
  readonly record: Record<string, unknown>;
}

/** Encodes records as a forward batch (concatenated `[EventTime, record]` entries). */
export function makeBatch(tag: string, records: readonly TimedRecord[]): EncodedBatch {
  const writer = new MsgpackWriter();
  for (const { seconds, nanos, record } of records) writer.writeEntry(seconds, nanos, record);
  const entries = writer.toBytes();
  return { tag, entries, count: records.length, bytes: entries.byteLength };
}

/** `count` records `{ id: "<prefix>-<i>", i }` at 1700000000.123456789 + i ns. */
export function numberedRecords(prefix: string, count: number): TimedRecord[] {
  return Array.from({ length: count }, (_, i) => ({ seconds: 1700000000, nanos: 123456789 + i, record: { id: `${prefix}-${i}`, i } }));
}
