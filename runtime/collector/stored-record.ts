import type { OtlpLogRecord, OtlpSpan, PlainRecord } from "../../generated/index.js";
import { collectorSources, type CollectorSource, type IncomingRecord } from "./collector-records.js";
import { isPlainRecord } from "./contract-source.js";

/** A decimal string (or number) of nanoseconds as a bigint; 0n when it is neither. */
function nanos(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if ((typeof v === "string" && /^\d{1,20}$/.test(v)) || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) return BigInt(v);
  return 0n;
}

/**
 * Whether `line` is a record as the collector stores it (a line of its `logs.ndjson` /
 * `spans.ndjson`, a `ReceivedRecord`: `seq`, `signal`, `source`, `record`, …), not a record as a
 * service writes it. Pure.
 */
export function isStoredRecord(line: Readonly<Record<string, unknown>>): boolean {
  return (
    typeof line.seq === "number" &&
    (line.signal === "logs" || line.signal === "spans") &&
    collectorSources.includes(line.source as CollectorSource) &&
    isPlainRecord(line.record)
  );
}

/**
 * A stored record (see {@link isStoredRecord}) as the input handed it to the collector, so that the
 * live contract check (`checkRecord`) can run on it again: Fluentd records with their event time,
 * OTLP log records and spans with their times back as bigints. `undefined` when `line` is no
 * stored record. Pure, never throws.
 */
export function incomingOfStored(line: Readonly<Record<string, unknown>>): IncomingRecord | undefined {
  if (!isStoredRecord(line)) return undefined;
  const record = line.record as PlainRecord;
  if (line.source === "forward" || line.source === "http")
    return { kind: "fluent", tag: typeof line.tag === "string" ? line.tag : "", timeNanos: nanos(line.timeUnixNano), record };
  if (line.signal === "logs") return { kind: "otlpLog", record: { ...(record as unknown as OtlpLogRecord), timeUnixNano: nanos(record.timeUnixNano) } };
  const span = record as unknown as OtlpSpan;
  const events = Array.isArray(span.events) ? span.events.filter(isPlainRecord) : [];
  return {
    kind: "otlpSpan",
    record: {
      ...span,
      startTimeUnixNano: nanos(record.startTimeUnixNano),
      endTimeUnixNano: nanos(record.endTimeUnixNano),
      events: events.map((e) => ({ ...(e as unknown as OtlpSpan["events"][number]), timeUnixNano: nanos(e.timeUnixNano) })),
    },
  };
}
