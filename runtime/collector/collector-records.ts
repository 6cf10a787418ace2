import { int64ToPlain, type OtlpLogRecord, type OtlpSpan, type PlainRecord, type PlainValue, type Violation } from "../../generated/index.js";
import { eventTimeOf } from "../wire/forward/protocol.js";
import { MsgpackExtValue } from "../wire/msgpack-decoder.js";

/** The collector's inputs, as counted and shown: one per listener (OTLP/HTTP serves both signals). */
export type CollectorSource = "forward" | "http" | "otlpHttp" | "otlpGrpc" | "dash0";

/** Every {@link CollectorSource}, in pipeline order. */
export const collectorSources: readonly CollectorSource[] = Object.freeze(["forward", "http", "otlpHttp", "otlpGrpc", "dash0"]);

/** What a record is: a log record (Fluentd records are logs) or a span. Also the NDJSON file names. */
export type CollectorSignal = "logs" | "spans";

/** One record as an input hands it over, before the contract check. */
export type IncomingRecord =
  | { readonly kind: "fluent"; readonly tag: string; readonly timeNanos: bigint; readonly record: PlainRecord }
  | { readonly kind: "otlpLog"; readonly record: OtlpLogRecord }
  | { readonly kind: "otlpSpan"; readonly record: OtlpSpan };

/** Where a batch came from: the input, and the Fluentd tag or HTTP path. */
export interface IncomingBatch {
  readonly source: CollectorSource;
  /** HTTP path of the request (`/v1/logs`, `/app.api`), when it came over HTTP. */
  readonly path?: string;
  readonly records: readonly IncomingRecord[];
}

/** Why a batch was refused before its records were checked: over a per-request cap (records, items), or over the per-second rate. */
export type RefusalKind = "tooManyRecords" | "tooManyItems" | "rateLimited";

/** A batch the intake refused before decoding, with the status an HTTP input answers (413 or 429). */
export interface BatchRefusal {
  readonly kind: RefusalKind;
  readonly status: 413 | 429;
  readonly reason: string;
}

/** What the inputs deliver to. Implementations never throw. */
export interface CollectorIntake {
  /** Most records one request or message may carry (inputs count them before decoding when they can). */
  readonly maxRecordsPerRequest: number;
  /** Most nested items (fields at every depth, values, map entries) one request or message may carry, counted before decoding. */
  readonly maxItemsPerRequest: number;
  /**
   * Asks, before the records are decoded or checked, whether `count` records holding `items` nested
   * items from `source` may be taken: `undefined` (their share of the rate is spent), or the refusal,
   * already counted. Inputs call it once per request or message, then {@link accept}.
   */
  admit(source: CollectorSource, count: number, items?: number): BatchRefusal | undefined;
  /** Takes the records of one forward message or one request (admitted). */
  accept(batch: IncomingBatch): void;
  /** Counts a message or request `source` refused (bad body, wrong key or token, …) with why. */
  reject(source: CollectorSource, reason: string): void;
  /** Counts the data points of one admitted metrics request (metrics are counted, not stored). */
  acceptMetricPoints?(source: CollectorSource, points: number): void;
}

/** A contract violation as the collector reports it: the validator's, plus the record key it is about. */
export interface CollectorViolation extends Violation {
  /** The record key (Fluentd key or OTLP attribute) the path points at, when it resolves. */
  readonly key?: string;
}

/** One stored record: a line of `logs.ndjson` / `spans.ndjson` and an item of the status API. */
export interface ReceivedRecord {
  /** Arrival order, from 1. */
  readonly seq: number;
  readonly signal: CollectorSignal;
  readonly source: CollectorSource;
  /** Fluentd tag (forward and HTTP inputs). */
  readonly tag?: string;
  /** HTTP path (HTTP, OTLP/HTTP and Dash0 inputs). */
  readonly path?: string;
  readonly receivedAtMs: number;
  /** `service.name` as the contract mapping reads it, `unknown` when absent. */
  readonly service: string;
  /**
   * The record as received: a Fluentd record (with `time` only if the client sent one as a key),
   * or an OTLP log record / span in the contract's `OtlpLogRecord` / `OtlpSpan` shape (ids hex,
   * nanosecond times as decimal strings).
   */
  readonly record: PlainRecord;
  /** Event time of a Fluentd record, nanoseconds as a decimal string. */
  readonly timeUnixNano?: string;
  /** Contract violations of the record mapped back to `StandardLogEntry` / `StandardTraceSpan`; empty when valid. */
  readonly violations: readonly CollectorViolation[];
  /** The record's `emp.health.probe_id`, when it is a probe. */
  readonly probeId?: string;
}

/**
 * A decoded msgpack value as a plain value: bin as UTF-8 text (Fluentd treats it as a string), an
 * EventTime as float seconds, other ext values as base64, integers beyond 2^53 as decimal strings;
 * `null` becomes `undefined` (dropped by the caller).
 */
export function msgpackToPlain(v: unknown, depth = 0): PlainValue | undefined {
  if (v === null || v === undefined || depth > 64) return undefined;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") return int64ToPlain(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("utf8");
  if (v instanceof MsgpackExtValue) {
    const t = eventTimeOf(v);
    return t === undefined ? Buffer.from(v.data).toString("base64") : t[0] + t[1] / 1e9;
  }
  if (Array.isArray(v)) return v.map((x) => msgpackToPlain(x, depth + 1)).filter((x): x is PlainValue => x !== undefined);
  if (typeof v === "object") return plainRecordOf(v as Record<string, unknown>, depth + 1);
  return undefined;
}

/** A record (decoded msgpack or parsed JSON) as a {@link PlainRecord}, see {@link msgpackToPlain}. */
export function plainRecordOf(v: Readonly<Record<string, unknown>>, depth = 0): PlainRecord {
  const out: PlainRecord = {};
  for (const key of Object.keys(v)) {
    const plain = msgpackToPlain(v[key], depth);
    if (plain !== undefined) Object.defineProperty(out, key, { value: plain, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** An OTLP log record as stored: times as decimal strings. */
export function otlpLogToPlain(r: OtlpLogRecord): PlainRecord {
  return { ...r, timeUnixNano: r.timeUnixNano.toString() };
}

/** An OTLP span as stored: times as decimal strings. */
export function otlpSpanToPlain(s: OtlpSpan): PlainRecord {
  return {
    ...s,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    status: { ...s.status },
    scope: { ...s.scope },
    events: s.events.map((e) => ({ ...e, timeUnixNano: e.timeUnixNano.toString() })),
  };
}
