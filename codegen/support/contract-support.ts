// Support code shared by the generated builders, validators and mappers. The plugin copies this file
// verbatim into generated/ (it may import nothing but @bufbuild/protobuf), so it is part of the
// contract's generated output, versioned and checked for drift with the rest.

/** One broken rule: where (a protovalidate field path), which rule (its protovalidate id), and why. */
export interface Violation {
  /** Field path in protovalidate notation, e.g. `service.name`, `data["k"]`, `causes[0].type`. */
  readonly path: string;
  /** Rule id, as protovalidate names it, e.g. `string.min_len`, `required`. */
  readonly rule: string;
  /** Human-readable explanation. */
  readonly message: string;
  /** True when the violation is about a map key rather than its value. */
  readonly forKey: boolean;
}

/** The violations of a valid message: one shared, frozen, empty list. */
export const noViolations: readonly Violation[] = Object.freeze([]);

/** A JSON-compatible value: what records carry on every target. 64-bit integers become numbers when safe, strings otherwise. */
export type PlainValue = string | number | boolean | PlainValue[] | { [key: string]: PlainValue };

/** Attributes or a record: string keys, plain values. */
export type PlainRecord = { [key: string]: PlainValue };

/** A log record in OTLP's shape (opentelemetry/proto/logs/v1 LogRecord plus its resource). */
export interface OtlpLogRecord {
  resource: PlainRecord;
  timeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: string;
  traceId: string;
  spanId: string;
  traceFlags: number;
  attributes: PlainRecord;
}

/** A span event in OTLP's shape. */
export interface OtlpSpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: PlainRecord;
}

/** A span in OTLP's shape (opentelemetry/proto/trace/v1 Span plus its resource). */
export interface OtlpSpan {
  resource: PlainRecord;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceFlags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: { code: number; message: string };
  attributes: PlainRecord;
  events: OtlpSpanEvent[];
  /** The instrumentation scope (ScopeSpans.scope); an empty name means the emitting package's own. */
  scope: { name: string; version: string };
}

/**
 * Where the generated msgpack writers write: implemented by the runtime's MsgpackWriter. Keys are
 * pre-encoded once per module (`msgpackKey`), maps of unknown size are patched at the end, and the
 * fields of objects that never change (the service's metadata) are encoded once and copied.
 */
export interface MsgpackSink {
  writeRaw(bytes: Uint8Array): void;
  writeString(value: string): void;
  /** Writes nanoseconds since the Unix epoch as the ISO-8601 string `nanosToIso` gives. */
  writeTimeIso(nanos: bigint): void;
  writeNumber(value: number): void;
  writeBoolean(value: boolean): void;
  writeArrayHeader(length: number): void;
  writeMapHeader(size: number): void;
  beginMap(): number;
  endMap(at: number, count: number): void;
  cachedFields<K extends object>(key: K, write: (key: K, sink: MsgpackSink) => number): number;
}

const keyEncoder = new TextEncoder();

/** A string as msgpack str bytes, for keys written many times. */
export function msgpackKey(key: string): Uint8Array {
  const utf8 = keyEncoder.encode(key);
  const n = utf8.length;
  const head = n < 32 ? [0xa0 | n] : n < 256 ? [0xd9, n] : [0xda, n >> 8, n & 0xff];
  const out = new Uint8Array(head.length + n);
  out.set(head, 0);
  out.set(utf8, head.length);
  return out;
}

/** An enum's names (`logLevelNames`) as msgpack str bytes by number, for values written many times. */
export function msgpackNames(names: Readonly<Record<number, string>>): Readonly<Record<number, Uint8Array>> {
  const out: Record<number, Uint8Array> = {};
  for (const [n, name] of Object.entries(names)) out[Number(n)] = msgpackKey(name);
  return out;
}

/** Writes a 64-bit integer as the plain value targets carry: a number when safe, a decimal string otherwise. */
export function writeInt64(v: bigint, w: MsgpackSink): void {
  const p = int64ToPlain(v);
  if (typeof p === "number") w.writeNumber(p);
  else w.writeString(p);
}

/** What a secret field carries on every target. */
export const REDACTED = "[redacted]";

/** An empty OTLP log record, to be filled by a generated mapper. */
export function newOtlpLogRecord(): OtlpLogRecord {
  return {
    resource: {},
    timeUnixNano: 0n,
    severityNumber: 0,
    severityText: "",
    body: "",
    traceId: "",
    spanId: "",
    traceFlags: 0,
    attributes: {},
  };
}

/** An empty OTLP span, to be filled by a generated mapper. */
export function newOtlpSpan(): OtlpSpan {
  return {
    resource: {},
    traceId: "",
    spanId: "",
    parentSpanId: "",
    traceFlags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    status: { code: 0, message: "" },
    attributes: {},
    events: [],
    scope: { name: "", version: "" },
  };
}

/** An empty OTLP span event, to be filled by a generated mapper. */
export function newOtlpSpanEvent(): OtlpSpanEvent {
  return { name: "", timeUnixNano: 0n, attributes: {} };
}

const severityNumbers: Readonly<Record<string, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
};

/** OpenTelemetry SeverityNumber of a level's short name (`info` → 9); 0 when unknown. */
export function severityNumberOf(level: string): number {
  return severityNumbers[level] ?? 0;
}

/** Number of Unicode code points in a string, as protovalidate counts string length. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Number of UTF-8 bytes of a string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Path of a field below `parent`. */
export function pathField(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

/** Path of a list item. */
export function pathIndex(parent: string, index: number): string {
  return `${parent}[${String(index)}]`;
}

/** Path of a map entry with a string key, escaped as protovalidate escapes it. */
export function pathKey(parent: string, key: string): string {
  const escaped = key.split("\\").join("\\\\").split('"').join('\\"').split("\r").join("\\r").split("\n").join("\\n");
  return `${parent}["${escaped}"]`;
}

/** Creates a violation. */
export function violation(path: string, rule: string, message: string, forKey = false): Violation {
  return { path, rule, message, forKey };
}

/** A 64-bit integer as a plain value: a number when it is safe, a decimal string otherwise. */
export function int64ToPlain(v: bigint): number | string {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
}

/** The second whose prefix is cached; undefined until the first call (any bigint, -1n included, is a real second). */
let isoSecond: bigint | undefined;
let isoPrefix = "";

/**
 * Nanoseconds since the Unix epoch as an ISO-8601 UTC string with nanosecond precision. The
 * date-and-time part is computed once per second (records come in time order), so most calls only
 * format the nanoseconds.
 */
export function nanosToIso(nanos: bigint): string {
  const second = nanos / 1000000000n;
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = `${new Date(Number(second) * 1000).toISOString().slice(0, 19)}.`;
  }
  const sub = nanos - second * 1000000000n;
  return `${isoPrefix + (sub < 0n ? -sub : sub).toString().padStart(9, "0")}Z`;
}

/** 1 at the codes of `0`–`9` and `a`–`f`, 0 at every other code below 128. */
const lowerHexDigits = new Uint8Array(128).map((_, c) => ((c >= 48 && c <= 57) || (c >= 97 && c <= 102) ? 1 : 0));

/** The last id of 16 and of 32 digits that its maker vouched for as lowercase hex (see {@link claimLowerHexVouching}). */
let vouched16 = "";
let vouched32 = "";
let vouchingClaimed = false;

/**
 * The function by which an id generator vouches that the id it just made (that string, from random
 * bytes through a hex encoder) is lowercase hex, so that {@link isLowerHex} takes it whole instead of
 * digit by digit: the last id of each length (16, 32) is remembered, which covers a span's own ids
 * and, mostly, its trace's. Given once, to the first caller (this package's span id generator, as
 * it loads); later callers get `undefined`, so no other code can make the validators accept an id.
 */
export function claimLowerHexVouching(): ((id: string) => void) | undefined {
  if (vouchingClaimed) return undefined;
  vouchingClaimed = true;
  return (id) => {
    if (id.length === 16) vouched16 = id;
    else if (id.length === 32) vouched32 = id;
  };
}

/**
 * Whether `value` is exactly `length` lowercase hexadecimal digits: the rule `^[0-9a-f]{length}$`
 * without a regular expression. An id vouched for by its maker is taken whole; any other value is
 * looked up character by character in a table, without range tests: random ids make those
 * branches mispredict, and the lookup costs about a third as much (measured on 32-digit ids).
 */
export function isLowerHex(value: string, length: number): boolean {
  if (value === vouched32 || value === vouched16) return value.length === length;
  if (value.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c > 127 || lowerHexDigits[c] === 0) return false;
  }
  return true;
}

/**
 * A test of a `string.pattern` rule: the regular expression (Unicode mode), remembering the last
 * string that matched, since the same value (a version, an id format) is checked record after record.
 */
export function patternMatcher(pattern: string): (value: string) => boolean {
  const re = new RegExp(pattern, "u");
  let lastMatch: string | undefined;
  return (value) => {
    if (value === lastMatch) return true;
    if (!re.test(value)) return false;
    lastMatch = value;
    return true;
  };
}

/**
 * The value of a builder's map-of-messages field: `source` itself when every value already is a
 * message of `typeName` (taken as is, as a message field is), else a new map with `build` applied.
 */
export function buildMessageMap<I, O>(source: { readonly [key: string]: I } | undefined, build: (value: I) => O, typeName: string): { [key: string]: O } {
  if (source === undefined) return {};
  for (const key in source) if (Object.hasOwn(source, key) && (source[key] as { $typeName?: string }).$typeName !== typeName) return mapRecord(source, build);
  return source as unknown as { [key: string]: O };
}

/** The value of a builder's list-of-messages field: `source` itself when every item already is a message of `typeName`, else a new list. */
export function buildMessageList<I, O>(source: readonly I[] | undefined, build: (value: I) => O, typeName: string): O[] {
  if (source === undefined) return [];
  for (let i = 0; i < source.length; i++) if ((source[i] as { $typeName?: string }).$typeName !== typeName) return source.map((item) => build(item));
  return source as unknown as O[];
}

/** Applies `f` to every value of a string-keyed map, returning a new map. */
export function mapRecord<I, O>(source: { readonly [key: string]: I } | undefined, f: (value: I) => O): { [key: string]: O } {
  const out: { [key: string]: O } = {};
  if (source === undefined) return out;
  for (const key of Object.keys(source)) out[key] = f(source[key] as I);
  return out;
}

/** Nanoseconds since the Unix epoch as milliseconds: a number, the sub-millisecond part kept as its fraction. */
export function nanosToMs(nanos: bigint): number {
  const ms = nanos / 1000000n;
  return Number(ms) + Number(nanos - ms * 1000000n) / 1e6;
}

/** Milliseconds since the Unix epoch (a fraction allowed) as nanoseconds; `0n` (unset) for anything but a finite number above 0. */
export function msToNanos(ms: unknown): bigint {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return 0n;
  const whole = Math.floor(ms);
  return BigInt(whole) * 1000000n + BigInt(Math.round((ms - whole) * 1e6));
}

/**
 * An RFC 3339 time (`2025-08-17T10:00:00.123456789Z`, up to nine fractional digits, `Z` or an offset)
 * as nanoseconds since the epoch; `0n` when it does not parse.
 */
export function isoToNanos(iso: unknown): bigint {
  if (typeof iso !== "string") return 0n;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (m === null) return 0n;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  return Number.isNaN(ms) ? 0n : BigInt(ms) * 1000000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/** The number of an enum value by its short name (`"info"` → 2); 0 (unspecified) for any other value. */
export function enumValueOf(names: Readonly<Record<number, string>>, name: unknown): number {
  if (typeof name !== "string" || name === "unspecified") return 0;
  for (const key of Object.keys(names)) if (names[Number(key)] === name) return Number(key);
  return 0;
}

/** A map of plain values as contract values; entries that are no value (undefined, a function, a symbol) are left out. */
export function valuesFromPlain<V>(source: { readonly [key: string]: unknown } | undefined, from: (value: unknown) => V | undefined): { [key: string]: V } {
  const out: { [key: string]: V } = {};
  if (source === undefined || source === null) return out;
  for (const key of Object.keys(source)) {
    const value = from(source[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
