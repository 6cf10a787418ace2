// Hand-written rather than @msgpack/msgpack's encoder, for the Fluentd sink's CPU per record:
// bench/results/fluentd-sink.md measures 3,071 ns of client CPU per delivered record for ours and
// 8,630 for @fluent-org/logger (which encodes with @msgpack/msgpack; its whole pipeline, not the encoder
// alone), and bench/results/cpu-per-record.md keeps ours at 1.27× (burst) and 1.16× (steady) of pino
// writing to /dev/null. What those figures rest on: times and ISO strings written straight into the
// buffer (no bigint division, no string), one-pass ASCII strings, short raw copies by loop, and one
// buffer reused across batches (`takeBytes`: 5-6% CPU per record against a fresh zeroed buffer).
import { grownBytes } from "./grown-bytes.js";
import { isoOfNanos, writeNineDigits } from "./iso-time.js";
import { writeJsValue } from "./msgpack-js-value.js";
import { writeIntAt } from "./msgpack-int.js";
import { TimeSplit } from "./time-split.js";

const textEncoder = new TextEncoder();

/** Node's Buffer methods behind `toString("latin1")` and `write(s, p, "latin1")`. */
interface Latin1Buffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
}
/** `0xbe`: a fixstr of 30 bytes, the length of every `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`. */
const isoHeader = 0xa0 | 30;
const twoPow32 = 4294967296;

/**
 * A small msgpack encoder writing into one growable buffer that is reused across batches
 * (`reset()` keeps the memory). Encodes `null`/`undefined` (nil), booleans, numbers (the smallest
 * int format for safe integers, float64 otherwise), strings (UTF-8 str), `Uint8Array` (bin),
 * arrays, `Map`s and plain objects (maps; object properties that are `undefined` are skipped),
 * `bigint` (int64/uint64) and `Date` (ISO-8601 string), plus the forward protocol's EventTime.
 *
 * Failure behaviour: `writeValue` throws `RangeError` for a bigint outside 64 bits or nesting deeper
 * than 64 (e.g. a cycle) and `TypeError` for functions and symbols; the buffer is then in an
 * undefined state and must be `reset()`. Not thread-safe, not re-entrant.
 */
export class MsgpackWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;

  /**
   * @param initialBytes - starting capacity in bytes (default 4096); it doubles as needed.
   * @param unzeroed - take memory that is not zero-filled first (every byte read is written first):
   *   for large writers, whose memory the allocator may then hand back from what was freed. Default false.
   */
  constructor(initialBytes = 4096, unzeroed = false) {
    const n = Math.max(16, initialBytes);
    this.#buf = unzeroed ? Buffer.allocUnsafeSlow(n) : new Uint8Array(n);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Number of bytes written since the last `reset()`. */
  get length(): number {
    return this.#pos;
  }

  /** Forgets the written bytes, keeping the memory for reuse. */
  reset(): void {
    this.#pos = 0;
  }

  /** Forgets the bytes written after the first `length` (a record given up half-written). */
  truncate(length: number): void {
    if (length >= 0 && length < this.#pos) this.#pos = length;
  }

  /** Bytes the buffer holds before it must grow. */
  get capacity(): number {
    return this.#buf.length;
  }

  /**
   * The buffer itself, its first {@link length} bytes written: for records written one after another
   * and kept where they were written (no copy). Bytes once written there never change; a buffer that
   * grows is replaced (the old one keeps its bytes), so take it again after each write.
   */
  get buffer(): Uint8Array {
    return this.#buf;
  }

  /** Copies bytes `start` to `end` of `source` (msgpack already). */
  writeRange(source: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.#ensure(n);
    this.#buf.set(source.subarray(start, end), this.#pos);
    this.#pos += n;
  }

  /** A copy of the bytes written so far; safe to keep after `reset()`. */
  toBytes(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }

  /**
   * A copy of the bytes written so far, in memory that is not zero-filled first (every byte is
   * copied over), and a reset: the writer keeps its buffer for the next batch. For batches handed to
   * a transport: a fresh buffer per batch would be zero-filled (and faulted in) only to be overwritten.
   */
  takeBytes(): Uint8Array {
    const bytes = Buffer.allocUnsafe(this.#pos);
    bytes.set(this.#buf.subarray(0, this.#pos));
    this.#pos = 0;
    return bytes;
  }

  /**
   * Writes the first `length` characters of a one-byte string as bytes, one per character (the
   * reverse of {@link takeLatin1}): for bytes kept as a string, already msgpack.
   */
  writeLatin1(text: string, length: number = text.length): void {
    this.#ensure(length);
    this.#latin1().latin1Write(text, this.#pos, length);
    this.#pos += length;
  }

  /**
   * The bytes written so far as a one-byte string, one character per byte (latin1, exact both ways:
   * `Buffer.from(text, "latin1")` gives the bytes back), and a reset. For records kept compactly in a
   * queue: a one-byte string is a single heap object, its bytes inline, with no backing store.
   */
  takeLatin1(): string {
    const text = this.#latin1().latin1Slice(0, this.#pos);
    this.#pos = 0;
    return text;
  }

  /** A Buffer over `#buf`, made again when the buffer grows: Node's native one-byte string copies, without `write`'s and `toString`'s argument checks. */
  #latin1(): Latin1Buffer {
    let view = this.#latin1View;
    if (view === undefined || this.#latin1Of !== this.#buf) {
      view = Buffer.from(this.#buf.buffer, this.#buf.byteOffset, this.#buf.byteLength) as Latin1Buffer;
      this.#latin1View = view;
      this.#latin1Of = this.#buf;
    }
    return view;
  }

  #latin1View: Latin1Buffer | undefined;
  /** The buffer `#latin1View` is over (compared by identity: cheaper than reading `.buffer`). */
  #latin1Of: Uint8Array | undefined;

  /** A view of the bytes written so far without copying; valid only until the next write or `reset()`. */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /**
   * Writes one forward-protocol entry `[EventTime(seconds, nanos), record]`.
   * @param seconds - Unix time in whole seconds (uint32).
   * @param nanos - nanoseconds within the second, 0..999999999.
   */
  writeEntry(seconds: number, nanos: number, record: unknown): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = 0x92;
    this.writeEventTime(seconds, nanos);
    this.writeValue(record);
  }

  /**
   * Writes a forward-protocol EventTime: ext type 0, 8 bytes (uint32 BE seconds, uint32 BE nanoseconds).
   * Throws `RangeError` when `seconds` is not a uint32 or `nanos` not in 0..999999999.
   */
  writeEventTime(seconds: number, nanos: number): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds >= twoPow32) {
      throw new RangeError(`EventTime seconds must be a uint32, got ${String(seconds)}`);
    }
    if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) {
      throw new RangeError(`EventTime nanos must be 0..999999999, got ${String(nanos)}`);
    }
    this.#ensure(10);
    const p = this.#pos;
    this.#buf[p] = 0xd7;
    this.#buf[p + 1] = 0x00;
    this.#view.setUint32(p + 2, seconds);
    this.#view.setUint32(p + 6, nanos);
    this.#pos = p + 10;
  }

  /**
   * Writes a forward entry's start, `[EventTime, `, from nanoseconds since the Unix epoch; the
   * record follows. Throws `RangeError` when the time is not within uint32 seconds.
   */
  writeEntryTime(nanos: bigint): void {
    const sub = this.#time.split(nanos);
    this.writeEntryHeader(this.#time.second, sub);
  }

  /**
   * Writes nanoseconds since the Unix epoch as an ISO-8601 UTC string with nanosecond precision,
   * the same text as the contract's `nanosToIso`, straight into the buffer: the date-and-time part
   * is encoded once per second and the nanoseconds as digits, with no bigint division and no string.
   */
  writeTimeIso(nanos: bigint): void {
    if (nanos < 0n) {
      this.writeString(isoOfNanos(nanos));
      return;
    }
    const sub = this.#time.split(nanos);
    this.writeTimeIsoSplit(this.#time.second, sub);
  }

  /** {@link writeTimeIso} of a time given split: whole seconds since the Unix epoch (≥ 0) and the nanoseconds within. */
  writeTimeIsoSplit(second: number, sub: number): void {
    const prefix = this.#time.isoPrefix(second);
    this.#ensure(31);
    const b = this.#buf;
    const p = this.#pos;
    b[p] = isoHeader;
    b.set(prefix, p + 1);
    writeNineDigits(b, p + 21, sub);
    b[p + 30] = 90; // "Z"
    this.#pos = p + 31;
  }

  /** The last time written, split (records come in time order). */
  readonly #time = new TimeSplit();

  /** Writes any supported JS value (see the class comment for the mapping). */
  writeValue(value: unknown): void {
    writeJsValue(this, value, 0);
  }

  /** Writes nil. */
  writeNil(): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = 0xc0;
  }

  /** Writes true or false. */
  writeBoolean(value: boolean): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = value ? 0xc3 : 0xc2;
  }

  /** Writes a safe integer in its smallest int format, any other number as float64. */
  writeNumber(value: number): void {
    if (Number.isSafeInteger(value)) this.#int(value);
    else this.writeFloat64(value);
  }

  /** Writes a float64. */
  writeFloat64(value: number): void {
    this.#ensure(9);
    this.#buf[this.#pos] = 0xcb;
    this.#view.setFloat64(this.#pos + 1, value);
    this.#pos += 9;
  }

  /** Writes a bigint as int64 (negative) or uint64; throws `RangeError` outside that range. */
  writeBigInt(value: bigint): void {
    this.#ensure(9);
    if (value < 0n) {
      if (value < -(2n ** 63n)) throw new RangeError("bigint below int64 range");
      this.#buf[this.#pos] = 0xd3;
      this.#view.setBigInt64(this.#pos + 1, value);
    } else {
      if (value >= 2n ** 64n) throw new RangeError("bigint above uint64 range");
      this.#buf[this.#pos] = 0xcf;
      this.#view.setBigUint64(this.#pos + 1, value);
    }
    this.#pos += 9;
  }

  /**
   * Writes `value` as a str when it is ASCII and shorter than 256 characters (nearly every key and value
   * in a log record): one pass that writes the bytes and gives up at the first other character, leaving
   * the position where it was. Returns whether it wrote; an ASCII string is well-formed.
   */
  writeAscii(value: string): boolean {
    const n = value.length;
    if (n >= 256) return false;
    this.#ensure(2 + n);
    const b = this.#buf;
    const p = this.#pos;
    const start = n < 32 ? p + 1 : p + 2;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) return false;
      b[start + i] = c;
    }
    if (n < 32) b[p] = 0xa0 | n;
    else {
      b[p] = 0xd9;
      b[p + 1] = n;
    }
    this.#pos = start + n;
    return true;
  }

  /** Writes a string as UTF-8 str (lone surrogates become U+FFFD). */
  writeString(value: string): void {
    if (this.writeAscii(value)) return;
    const n = value.length;
    const maxBytes = n * 3;
    this.#ensure(5 + maxBytes);
    const reserved = headerSize(maxBytes);
    const written = textEncoder.encodeInto(value, this.#buf.subarray(this.#pos + reserved)).written;
    const needed = headerSize(written);
    if (needed !== reserved) {
      this.#buf.copyWithin(this.#pos + needed, this.#pos + reserved, this.#pos + reserved + written);
    }
    this.#header(written, 0xa0, 31, 0xd9, 0xda, 0xdb);
    this.#pos += written;
  }

  /** Writes bytes as bin. */
  writeBinary(value: Uint8Array): void {
    this.writeBinaryHeader(value.byteLength);
    this.#ensure(value.byteLength);
    this.#buf.set(value, this.#pos);
    this.#pos += value.byteLength;
  }

  /** Writes only the header of a bin of `byteLength` bytes; the caller sends the bytes themselves. */
  writeBinaryHeader(byteLength: number): void {
    this.#ensure(5);
    if (byteLength < 256) {
      this.#buf[this.#pos++] = 0xc4;
      this.#buf[this.#pos++] = byteLength;
    } else if (byteLength < 65536) {
      this.#buf[this.#pos] = 0xc5;
      this.#view.setUint16(this.#pos + 1, byteLength);
      this.#pos += 3;
    } else {
      this.#buf[this.#pos] = 0xc6;
      this.#view.setUint32(this.#pos + 1, byteLength);
      this.#pos += 5;
    }
  }

  /** Writes an array header for `length` elements that follow. */
  writeArrayHeader(length: number): void {
    this.#ensure(5);
    this.#header(length, 0x90, 15, -1, 0xdc, 0xdd);
  }

  /** Writes a map header for `size` key/value pairs that follow. */
  writeMapHeader(size: number): void {
    this.#ensure(5);
    this.#header(size, 0x80, 15, -1, 0xde, 0xdf);
  }

  /** Writes bytes that already are msgpack (e.g. a pre-encoded key). */
  writeRaw(bytes: Uint8Array): void {
    const n = bytes.byteLength;
    this.#ensure(n);
    const p = this.#pos;
    // `set` costs about as much as copying 8 bytes by loop (measured on this project's machine, Node 20),
    // so only the shortest pieces go by loop.
    if (n <= 8) {
      const b = this.#buf;
      for (let i = 0; i < n; i++) b[p + i] = bytes[i]!;
    } else this.#buf.set(bytes, p);
    this.#pos = p + n;
  }

  /** Starts a map whose size is not known yet (a map32 header); returns where, for {@link endMap}. */
  beginMap(): number {
    this.#ensure(5);
    const at = this.#pos;
    this.#buf[at] = 0xdf;
    this.#pos += 5;
    return at;
  }

  /** Sets the size of a map started with {@link beginMap}. */
  endMap(at: number, count: number): void {
    this.#view.setUint32(at + 1, count);
  }

  /** Writes the start of a forward entry, `[EventTime, `; the record follows. */
  writeEntryHeader(seconds: number, nanos: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = 0x92;
    this.writeEventTime(seconds, nanos);
  }

  /**
   * Writes the map entries `write` produces for `key` (an object that never changes, such as the
   * service's metadata) from a cache: encoded once, copied after. Returns how many entries.
   */
  cachedFields<K extends object>(key: K, write: (key: K, sink: MsgpackWriter) => number): number {
    const left = this.leaveOut?.(key, write) ?? -1;
    if (left >= 0) return left;
    let hit = this.#cache.get(key);
    if (hit === undefined) {
      const scratch = new MsgpackWriter(256);
      const count = write(key, scratch);
      hit = { bytes: scratch.toBytes(), count };
      this.#cache.set(key, hit);
    }
    this.writeRaw(hit.bytes);
    return hit.count;
  }

  readonly #cache = new WeakMap<object, { bytes: Uint8Array; count: number }>();

  /**
   * Called by {@link cachedFields} first: when it returns a count (≥ 0), those fields are left out
   * (the caller keeps them elsewhere); -1 writes them. One class for every writer keeps the encoders'
   * calls monomorphic. Default: none.
   */
  leaveOut: (<K extends object>(key: K, write: (key: K, sink: MsgpackWriter) => number) => number) | undefined = undefined;

  #int(value: number): void {
    this.#ensure(9);
    this.#pos = writeIntAt(this.#buf, this.#view, this.#pos, value);
  }

  /** Writes a length header: fix format up to `fixMax`, else the 8/16/32-bit format (`f8` -1 = none). */
  #header(n: number, fix: number, fixMax: number, f8: number, f16: number, f32: number): void {
    const p = this.#pos;
    if (n <= fixMax) {
      this.#buf[p] = fix | n;
      this.#pos = p + 1;
    } else if (f8 >= 0 && n < 256) {
      this.#buf[p] = f8;
      this.#buf[p + 1] = n;
      this.#pos = p + 2;
    } else if (n < 65536) {
      this.#buf[p] = f16;
      this.#view.setUint16(p + 1, n);
      this.#pos = p + 3;
    } else {
      this.#buf[p] = f32;
      this.#view.setUint32(p + 1, n);
      this.#pos = p + 5;
    }
  }

  #ensure(extra: number): void {
    const needed = this.#pos + extra;
    if (needed <= this.#buf.length) return;
    this.#buf = grownBytes(this.#buf, this.#pos, needed);
    this.#view = new DataView(this.#buf.buffer);
  }
}

/** Header size in bytes of a str of `n` bytes (fixstr, str8, str16, str32). */
function headerSize(n: number): number {
  return n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5;
}
