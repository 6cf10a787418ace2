import { otlpLogsRequest, otlpMetricsRequest, otlpTraceRequest, type WireMessage } from "./otlp-wire-shapes.js";

/**
 * Counts, in one pass over the protobuf wire bytes and without decoding, what an OTLP
 * `Export{Logs,Trace,Metrics}ServiceRequest` would make protobuf-es build: its records (log records,
 * spans or metric data points), the resource, scope and metric groups around them, and its items:
 * every field at every depth (each attribute, its key and value, each array value, kvlist entry,
 * event, link) plus each number of a packed list. So a request carrying more than the collector takes
 * (a few KB of gzip can hold millions of empty attributes) is refused before decoding. Stops as soon
 * as a count passes its limit.
 */
export interface OtlpItemCount {
  /** Log records, spans or metric data points. */
  readonly records: number;
  /** Resource, scope (and metric) groups around them. */
  readonly groups: number;
  /** Fields at every depth and numbers of packed lists. */
  readonly items: number;
}

/** Why bytes are not a well-formed OTLP request (protobuf-es would refuse them, or recurse too deep). */
export interface OtlpMalformed {
  readonly malformed: string;
}

/** The request shapes, by signal. */
export const otlpRequestShapes = Object.freeze({ logs: otlpLogsRequest, traces: otlpTraceRequest, metrics: otlpMetricsRequest });

/** Deepest nesting walked (request = 0); protobuf's own default recursion limit is 100. */
export const maxOtlpDepth = 100;

/** The limits of one count: records and groups each at most `records`, items at most `items`. */
export interface OtlpCountLimits {
  readonly records: number;
  readonly items: number;
}

class Over extends Error {}

interface Tally {
  records: number;
  groups: number;
  items: number;
  readonly limits: OtlpCountLimits;
  at: number;
}

/**
 * The counts (a count past its limit stops the walk, so each is at most its limit + 1), or why the
 * bytes are malformed. Linear in the bytes, no allocation per field.
 */
export function countOtlpItems(bytes: Uint8Array, limits: OtlpCountLimits, shape: WireMessage): OtlpItemCount | OtlpMalformed {
  const tally: Tally = { records: 0, groups: 0, items: 0, limits, at: 0 };
  try {
    walk(bytes, bytes.length, shape, 0, tally);
  } catch (e: unknown) {
    if (!(e instanceof Over)) return { malformed: e instanceof Error ? e.message : String(e) };
  }
  return { records: tally.records, groups: tally.groups, items: tally.items };
}

function varint(bytes: Uint8Array, t: Tally, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (t.at >= end) throw new RangeError("truncated varint");
    const b = bytes[t.at++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 128;
  }
  throw new RangeError("varint too long");
}

function item(t: Tally, n = 1): void {
  t.items += n;
  if (t.items > t.limits.items) throw new Over();
}

/** Skips one field's value of wire type `wire` (a group up to its end tag); counts a group's fields as items. */
function skip(bytes: Uint8Array, t: Tally, end: number, wire: number, field: number, depth: number): void {
  if (wire === 0) varint(bytes, t, end);
  else if (wire === 1) t.at += 8;
  else if (wire === 5) t.at += 4;
  else if (wire === 2) {
    const length = varint(bytes, t, end);
    t.at += length;
  } else if (wire === 3) {
    if (depth >= maxOtlpDepth) throw new RangeError(`nested deeper than ${maxOtlpDepth}`);
    for (;;) {
      const tag = varint(bytes, t, end);
      if ((tag & 7) === 4) {
        if (Math.floor(tag / 8) !== field) throw new RangeError("mismatched end group");
        break;
      }
      item(t);
      skip(bytes, t, end, tag & 7, Math.floor(tag / 8), depth + 1);
    }
  } else throw new RangeError(`wire type ${wire}`);
  if (t.at > end) throw new RangeError("truncated field");
}

/** The numbers of a packed list: 8 bytes each when fixed, else one per varint (a byte below 0x80 ends one). */
function packedNumbers(bytes: Uint8Array, from: number, to: number, fixed64: boolean): number {
  if (fixed64) return Math.floor((to - from) / 8);
  let numbers = 0;
  for (let i = from; i < to; i++) if (bytes[i]! < 0x80) numbers++;
  return numbers;
}

/** Walks the fields of one `message` from `t.at` to `end` at `depth`. */
function walk(bytes: Uint8Array, end: number, message: WireMessage, depth: number, t: Tally): void {
  while (t.at < end) {
    const tag = varint(bytes, t, end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new RangeError("field number 0");
    item(t);
    const spec = wire === 2 ? message.get(field) : undefined;
    if (spec === undefined) {
      skip(bytes, t, end, wire, field, depth);
      continue;
    }
    const length = varint(bytes, t, end);
    const from = t.at;
    const to = from + length;
    if (to > end) throw new RangeError("truncated field");
    if (spec.message === undefined) item(t, packedNumbers(bytes, from, to, spec.kind === "packedFixed64"));
    else {
      if (spec.kind === "record" && ++t.records > t.limits.records) throw new Over();
      if (spec.kind === "group" && ++t.groups > t.limits.records) throw new Over();
      if (depth + 1 > maxOtlpDepth) throw new RangeError(`nested deeper than ${maxOtlpDepth}`);
      walk(bytes, to, spec.message, depth + 1, t);
    }
    t.at = to;
  }
}
