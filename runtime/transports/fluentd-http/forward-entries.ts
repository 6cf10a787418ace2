import { eventTimeOf } from "../../wire/forward/protocol.js";
import { isoOfEventTime } from "../../wire/iso-time.js";
import { isDecodedMap, MsgpackExtValue, MsgpackStreamDecoder } from "../../wire/msgpack-decoder.js";
import { MsgpackWriter } from "../../wire/msgpack-writer.js";
import { TransportError } from "../transport-error.js";

/**
 * Where one `[time, record]` entry of a forward-encoded batch sits: its time and the byte range of
 * the record's key/value pairs (after the map header), so the record can be re-framed without decoding.
 */
interface EntryLocation {
  readonly seconds: number;
  readonly nanos: number;
  /** Number of key/value pairs in the record map. */
  readonly size: number;
  readonly pairsStart: number;
  readonly pairsEnd: number;
}

const textDecoder = new TextDecoder();
const maxJsonDepth = 16;

/**
 * Re-frames forward entries (concatenated msgpack `[EventTime, record]`, as in `EncodedBatch.entries`)
 * as the msgpack body Fluentd `in_http` takes: one array of maps, each record with `timeKey` added
 * (appended last, so it wins over a field of that name) as a msgpack EventTime (ext 0), which
 * `in_http` keeps to the nanosecond. Record bytes are copied, not decoded.
 * @throws TransportError `invalid` when `entries` is not a sequence of `[time, map]` entries.
 */
export function forwardEntriesToMsgpackArray(entries: Uint8Array, timeKey: string): Uint8Array {
  const locations = locateEntries(entries);
  const writer = new MsgpackWriter(64);
  const parts: Uint8Array[] = [];
  writer.writeArrayHeader(locations.length);
  parts.push(writer.toBytes());
  for (const entry of locations) {
    writer.reset();
    writer.writeMapHeader(entry.size + 1);
    parts.push(writer.toBytes(), entries.subarray(entry.pairsStart, entry.pairsEnd));
    writer.reset();
    writer.writeString(timeKey);
    writer.writeEventTime(entry.seconds, entry.nanos);
    parts.push(writer.toBytes());
  }
  return Buffer.concat(parts);
}

/**
 * Decodes forward entries into plain JSON-ready records, each with `timeKey` set to
 * `time(seconds, nanos)`. msgpack str and bin become strings (UTF-8, invalid bytes as U+FFFD), maps
 * become objects, EventTime values inside records become float seconds, other ext values base64
 * strings, and integers beyond 2^53 decimal strings (JSON numbers cannot carry them exactly).
 * @throws TransportError `invalid` when `entries` is not a sequence of `[time, map]` entries or a
 *   record nests deeper than 16 levels.
 */
export function forwardEntriesToObjects(
  entries: Uint8Array,
  timeKey: string,
  time: (seconds: number, nanos: number) => unknown,
): Record<string, unknown>[] {
  const decoder = new MsgpackStreamDecoder(entries.byteLength + 1);
  decoder.push(entries);
  const records: Record<string, unknown>[] = [];
  for (;;) {
    const next = decoder.next();
    if (next.kind === "incomplete") break;
    if (next.kind === "invalid") throw invalid(next.reason);
    const entry = next.value;
    if (!Array.isArray(entry) || entry.length !== 2 || !isDecodedMap(entry[1])) throw invalid("an entry is not [time, record map]");
    const [seconds, nanos] = timeOf(entry[0]);
    const record = toJson(entry[1], 0) as Record<string, unknown>;
    record[timeKey] = time(seconds, nanos);
    records.push(record);
  }
  return records;
}

/** `seconds.nanoseconds` as an RFC 3339 UTC timestamp with 9 fractional digits, e.g. `2023-11-14T22:13:20.123456789Z`. */
export const isoTimeWithNanos: (seconds: number, nanos: number) => string = isoOfEventTime;

function timeOf(value: unknown): [number, number] {
  const eventTime = eventTimeOf(value);
  if (eventTime !== undefined) return [eventTime[0], eventTime[1]];
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
    const seconds = Math.floor(value);
    return [seconds, Math.round((value - seconds) * 1e9) % 1_000_000_000];
  }
  throw invalid("an entry time is neither an EventTime nor a number");
}

function toJson(value: unknown, depth: number): unknown {
  if (depth > maxJsonDepth) throw invalid(`record nests deeper than ${maxJsonDepth}`);
  if (value instanceof Uint8Array) return textDecoder.decode(value);
  if (isDecodedMap(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: toJson(value[key], depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(item, depth + 1));
  if (typeof value === "bigint") return String(value);
  if (value instanceof MsgpackExtValue) {
    if (value.type === 0 && value.data.byteLength === 8) {
      const [s, ns] = timeOf(value);
      return s + ns / 1e9;
    }
    return Buffer.from(value.data).toString("base64");
  }
  return value;
}

function invalid(reason: string): TransportError {
  return new TransportError(`batch entries are not forward-encoded [time, record] pairs: ${reason}`, "invalid");
}

/** Finds every entry's time and record pair range in one pass, without decoding values. */
function locateEntries(b: Uint8Array): EntryLocation[] {
  const out: EntryLocation[] = [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > b.length) throw invalid("truncated");
  };
  while (pos < b.length) {
    if (b[pos] !== 0x92) throw invalid(`entry at byte ${pos} is not a 2-element array`);
    pos++;
    need(1);
    let seconds: number;
    let nanos = 0;
    const t = b[pos] ?? 0;
    if (t === 0xd7 && b[pos + 1] === 0x00) {
      need(10);
      seconds = view.getUint32(pos + 2);
      nanos = view.getUint32(pos + 6);
      pos += 10;
    } else if (t < 0x80) {
      seconds = t;
      pos++;
    } else if (t === 0xcc || t === 0xcd || t === 0xce) {
      const n = t === 0xcc ? 1 : t === 0xcd ? 2 : 4;
      need(1 + n);
      seconds = n === 1 ? view.getUint8(pos + 1) : n === 2 ? view.getUint16(pos + 1) : view.getUint32(pos + 1);
      pos += 1 + n;
    } else if (t === 0xcb) {
      need(9);
      [seconds, nanos] = timeOf(view.getFloat64(pos + 1));
      pos += 9;
    } else {
      throw invalid(`entry time at byte ${pos} is neither an EventTime nor an unsigned integer or float`);
    }
    need(1);
    const m = b[pos] ?? 0;
    let size: number;
    if (m >= 0x80 && m <= 0x8f) {
      size = m & 0x0f;
      pos += 1;
    } else if (m === 0xde) {
      need(3);
      size = view.getUint16(pos + 1);
      pos += 3;
    } else if (m === 0xdf) {
      need(5);
      size = view.getUint32(pos + 1);
      pos += 5;
    } else {
      throw invalid(`record at byte ${pos} is not a map`);
    }
    const pairsStart = pos;
    pos = skipValues(b, view, pos, size * 2);
    out.push({ seconds, nanos, size, pairsStart, pairsEnd: pos });
  }
  return out;
}

/** Returns the position after `count` msgpack values starting at `pos` (iterative, no recursion). */
function skipValues(b: Uint8Array, view: DataView, start: number, count: number): number {
  let pos = start;
  let pending = count;
  const len = (at: number, n: 1 | 2 | 4): number => {
    if (at + n > b.length) throw invalid("truncated");
    return n === 1 ? view.getUint8(at) : n === 2 ? view.getUint16(at) : view.getUint32(at);
  };
  while (pending > 0) {
    pending--;
    if (pos >= b.length) throw invalid("truncated");
    const t = b[pos++] ?? 0;
    if (t < 0x80 || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) continue;
    if (t < 0x90) pending += (t & 0x0f) * 2;
    else if (t < 0xa0) pending += t & 0x0f;
    else if (t < 0xc0) pos += t & 0x1f;
    else {
      switch (t) {
        case 0xc4: case 0xd9: pos += 1 + len(pos, 1); break;
        case 0xc5: case 0xda: pos += 2 + len(pos, 2); break;
        case 0xc6: case 0xdb: pos += 4 + len(pos, 4); break;
        case 0xc7: pos += 2 + len(pos, 1); break;
        case 0xc8: pos += 3 + len(pos, 2); break;
        case 0xc9: pos += 5 + len(pos, 4); break;
        case 0xca: case 0xce: case 0xd2: pos += 4; break;
        case 0xcb: case 0xcf: case 0xd3: pos += 8; break;
        case 0xcc: case 0xd0: pos += 1; break;
        case 0xcd: case 0xd1: pos += 2; break;
        case 0xd4: pos += 2; break;
        case 0xd5: pos += 3; break;
        case 0xd6: pos += 5; break;
        case 0xd7: pos += 9; break;
        case 0xd8: pos += 17; break;
        case 0xdc: pending += len(pos, 2); pos += 2; break;
        case 0xdd: pending += len(pos, 4); pos += 4; break;
        case 0xde: pending += 2 * len(pos, 2); pos += 2; break;
        case 0xdf: pending += 2 * len(pos, 4); pos += 4; break;
        default: throw invalid(`byte 0x${t.toString(16)} at ${pos - 1} is not msgpack`);
      }
    }
    if (pending > b.length - pos) throw invalid("truncated: more values announced than bytes left");
  }
  if (pos > b.length) throw invalid("truncated");
  return pos;
}
