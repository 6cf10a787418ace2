import { OtlpSlot, type OtlpLogRecord, type OtlpSpan, type OtlpSpanEvent } from "../../generated/index.js";

/** Which names a source's keys use: a Fluentd record's (`fluent_key` when set) or OTLP attributes'. */
export type KeyNaming = "fluent" | "otlp";

/**
 * A received record as the reverse mapping reads it: each contract field asks for the value under
 * its key in its OTLP slot (see `(emp.telemetry.v1.mapping)`), so one mapping serves Fluentd records
 * and OTLP log records or spans alike.
 */
export interface ContractSource {
  readonly naming: KeyNaming;
  /** The value of the field with this key in this (effective) slot; `undefined` when absent or empty. */
  value(key: string, slot: OtlpSlot): unknown;
  /** The free-form entries a flattened map field in `slot` collects: those no field claims. */
  rest(slot: OtlpSlot, claimed: ReadonlySet<string>): Readonly<Record<string, unknown>>;
  /** A source for one item of a repeated message field in `slot`; `undefined` when the item is not a record. */
  nested(item: unknown, slot: OtlpSlot): ContractSource | undefined;
}

/** Whether `v` is a plain record (an object that is not an array, bytes or a class instance like a Date). */
export function isPlainRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function own(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function unclaimed(record: Readonly<Record<string, unknown>>, claimed: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (!claimed.has(key)) Object.defineProperty(out, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A flat record (a Fluentd record, or a nested attribute map) as a source: every field reads its
 * key, whatever its slot. The record's own time (a forward EventTime, an `in_http` time) stands in
 * for a `TIME`-slot field the record does not carry.
 */
export function plainSource(record: Readonly<Record<string, unknown>>, naming: KeyNaming, recordTimeNanos?: bigint): ContractSource {
  return {
    naming,
    value(key, slot) {
      const v = own(record, key);
      if (v === undefined && slot === OtlpSlot.TIME && recordTimeNanos !== undefined && recordTimeNanos > 0n) return recordTimeNanos;
      return v === null ? undefined : v;
    },
    rest: (_slot, claimed) => unclaimed(record, claimed),
    nested: (item) => (isPlainRecord(item) ? plainSource(item, naming) : undefined),
  };
}

const nonEmpty = <T>(v: T): T | undefined => (v === "" || v === 0 || v === 0n ? undefined : v);

/** OTLP severity number ranges as OpenTelemetry's short names: 1-4 trace, 5-8 debug, …, 21-24 fatal. */
const severityNames = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

function severityName(number: number, text: string): string | undefined {
  if (number >= 1 && number <= 24) return severityNames[Math.floor((number - 1) / 4)];
  return text === "" ? undefined : text.toLowerCase();
}

/** The slots a log record and a span share. */
function commonSlot(
  r: { resource: Record<string, unknown>; attributes: Record<string, unknown>; traceId: string; spanId: string; traceFlags: number },
  key: string,
  slot: OtlpSlot,
): unknown {
  switch (slot) {
    case OtlpSlot.RESOURCE:
      return own(r.resource, key);
    case OtlpSlot.UNSPECIFIED:
      return own(r.attributes, key);
    case OtlpSlot.TRACE_ID:
      return nonEmpty(r.traceId);
    case OtlpSlot.SPAN_ID:
      return nonEmpty(r.spanId);
    case OtlpSlot.TRACE_FLAGS:
      return nonEmpty(r.traceFlags);
    default:
      return undefined;
  }
}

/** An OTLP log record (in the contract's `OtlpLogRecord` shape) as a source, slot by slot. */
export function otlpLogSource(r: OtlpLogRecord): ContractSource {
  return {
    naming: "otlp",
    value(key, slot) {
      switch (slot) {
        case OtlpSlot.TIME:
          return nonEmpty(r.timeUnixNano);
        case OtlpSlot.SEVERITY:
          return severityName(r.severityNumber, r.severityText);
        case OtlpSlot.BODY:
          return nonEmpty(r.body);
        default:
          return commonSlot(r, key, slot);
      }
    },
    rest: (slot, claimed) => (slot === OtlpSlot.ATTRIBUTES ? unclaimed(r.attributes, claimed) : {}),
    nested: (item) => (isPlainRecord(item) ? plainSource(item, "otlp") : undefined),
  };
}

/** An OTLP span (in the contract's `OtlpSpan` shape) as a source, slot by slot. */
export function otlpSpanSource(s: OtlpSpan): ContractSource {
  return {
    naming: "otlp",
    value(key, slot) {
      switch (slot) {
        case OtlpSlot.PARENT_SPAN_ID:
          return nonEmpty(s.parentSpanId);
        case OtlpSlot.NAME:
          return nonEmpty(s.name);
        case OtlpSlot.KIND:
          return nonEmpty(s.kind);
        case OtlpSlot.START_TIME:
          return nonEmpty(s.startTimeUnixNano);
        case OtlpSlot.END_TIME:
          return nonEmpty(s.endTimeUnixNano);
        case OtlpSlot.STATUS_CODE:
          return nonEmpty(s.status.code);
        case OtlpSlot.STATUS_MESSAGE:
          return nonEmpty(s.status.message);
        case OtlpSlot.EVENTS:
          return s.events.length === 0 ? undefined : s.events;
        case OtlpSlot.SCOPE_NAME:
          return nonEmpty(s.scope.name);
        case OtlpSlot.SCOPE_VERSION:
          return nonEmpty(s.scope.version);
        default:
          return commonSlot(s, key, slot);
      }
    },
    rest: (slot, claimed) => (slot === OtlpSlot.ATTRIBUTES ? unclaimed(s.attributes, claimed) : {}),
    nested: (item, slot) => {
      if (slot === OtlpSlot.EVENTS) return isEvent(item) ? otlpEventSource(item) : undefined;
      return isPlainRecord(item) ? plainSource(item, "otlp") : undefined;
    },
  };
}

function isEvent(item: unknown): item is OtlpSpanEvent {
  return typeof item === "object" && item !== null && "attributes" in item && "timeUnixNano" in item;
}

/** An OTLP span event as a source: its name, time and attributes slots. */
export function otlpEventSource(e: OtlpSpanEvent): ContractSource {
  return {
    naming: "otlp",
    value(key, slot) {
      if (slot === OtlpSlot.NAME) return nonEmpty(e.name);
      if (slot === OtlpSlot.TIME) return nonEmpty(e.timeUnixNano);
      return slot === OtlpSlot.UNSPECIFIED ? own(e.attributes, key) : undefined;
    },
    rest: (slot, claimed) => (slot === OtlpSlot.ATTRIBUTES ? unclaimed(e.attributes, claimed) : {}),
    nested: (item) => (isPlainRecord(item) ? plainSource(item, "otlp") : undefined),
  };
}
