// Hand-written rather than imported from `@bufbuild/protobuf/wire`, for start-up time: that entry
// point loads protobuf-es's reflection, about 15 ms of every service's start (measured when this
// writer replaced it); bench/results/import.md has the root export plus a configured client at 67 ms
// against 69 ms for OpenTelemetry's SDK with its OTLP exporter.
import { grownBytes } from "./grown-bytes.js";

/** Protobuf wire types, as field tags carry them. */
export const WireType = Object.freeze({ Varint: 0, Bit64: 1, LengthDelimited: 2, Bit32: 5 } as const);

/** One of {@link WireType}'s values. */
export type WireTypeValue = (typeof WireType)[keyof typeof WireType];

const textEncoder = new TextEncoder();
const twoPow32 = 4294967296;

/**
 * A protobuf binary writer for the hand-written OTLP encoders: the subset of protobuf-es's
 * `BinaryWriter` they use (same chainable methods, same bytes), writing into one growable buffer.
 * A sub-message (`fork()` … `join()`) is written in place and its length put in front at `join()`,
 * moving its bytes only when the length needs more than one byte. Kept here, and not imported from
 * `@bufbuild/protobuf/wire`, because that entry point loads protobuf-es's reflection (about 15 ms of
 * every service's start) for a writer this small.
 *
 * Failure behaviour: `join()` without `fork()` throws `RangeError` (a bug in an encoder).
 */
export class ProtoWriter {
  #buf: Uint8Array;
  #view: DataView;
  #pos = 0;
  readonly #forks: number[] = [];

  /** @param initialBytes - starting capacity (default 4096); it doubles as needed. */
  constructor(initialBytes = 4096) {
    this.#buf = new Uint8Array(Math.max(16, initialBytes));
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Writes a field tag. */
  tag(fieldNo: number, type: WireTypeValue): this {
    return this.uint32(((fieldNo << 3) | type) >>> 0);
  }

  /** Writes an unsigned 32-bit varint. */
  uint32(value: number): this {
    this.#ensure(5);
    let v = value >>> 0;
    const b = this.#buf;
    let p = this.#pos;
    while (v > 0x7f) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.#pos = p;
    return this;
  }

  /** Writes a signed 32-bit varint (negative values take ten bytes, as protobuf says). */
  int32(value: number): this {
    return value >= 0 ? this.uint32(value) : this.int64(value);
  }

  /** Writes a signed 64-bit varint from a safe integer or a bigint (two's complement when negative). */
  int64(value: number | bigint): this {
    if (typeof value === "number" && value >= 0 && value < twoPow32) return this.uint32(value);
    let v = BigInt.asUintN(64, BigInt(value));
    this.#ensure(10);
    const b = this.#buf;
    let p = this.#pos;
    while (v > 0x7fn) {
      b[p++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    b[p++] = Number(v);
    this.#pos = p;
    return this;
  }

  /** Writes a bool as a one-byte varint. */
  bool(value: boolean): this {
    this.#ensure(1);
    this.#buf[this.#pos++] = value ? 1 : 0;
    return this;
  }

  /** Writes a double, little-endian. */
  double(value: number): this {
    this.#ensure(8);
    this.#view.setFloat64(this.#pos, value, true);
    this.#pos += 8;
    return this;
  }

  /** Writes a fixed32, little-endian. */
  fixed32(value: number): this {
    this.#ensure(4);
    this.#view.setUint32(this.#pos, value >>> 0, true);
    this.#pos += 4;
    return this;
  }

  /** Writes a fixed64, little-endian (a bigint taken modulo 2^64). */
  fixed64(value: bigint): this {
    this.#ensure(8);
    this.#view.setBigUint64(this.#pos, BigInt.asUintN(64, value), true);
    this.#pos += 8;
    return this;
  }

  /** Writes length-delimited bytes. */
  bytes(value: Uint8Array): this {
    this.uint32(value.byteLength);
    this.#ensure(value.byteLength);
    this.#buf.set(value, this.#pos);
    this.#pos += value.byteLength;
    return this;
  }

  /** Writes a length-delimited UTF-8 string (lone surrogates become U+FFFD). */
  string(value: string): this {
    const n = value.length;
    if (n < 128) {
      // ASCII (keys, names, ids): the length is the character count and fits one byte.
      this.#ensure(1 + n);
      const b = this.#buf;
      const start = this.#pos + 1;
      let i = 0;
      while (i < n) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) break;
        b[start + i] = c;
        i++;
      }
      if (i === n) {
        b[start - 1] = n;
        this.#pos = start + n;
        return this;
      }
    }
    const maxBytes = n * 3;
    const reserved = varintSize(maxBytes);
    this.#ensure(reserved + maxBytes);
    const written = textEncoder.encodeInto(value, this.#buf.subarray(this.#pos + reserved)).written;
    const needed = varintSize(written);
    if (needed !== reserved) this.#buf.copyWithin(this.#pos + needed, this.#pos + reserved, this.#pos + reserved + written);
    this.uint32(written);
    this.#pos += written;
    return this;
  }

  /** Starts a length-delimited sub-message (after its tag); end it with {@link join}. */
  fork(): this {
    this.#ensure(1);
    this.#forks.push(this.#pos);
    this.#pos += 1; // one byte for the length; join() makes room when it needs more
    return this;
  }

  /** Ends the sub-message started by the matching {@link fork}, putting its length in front. */
  join(): this {
    const at = this.#forks.pop();
    if (at === undefined) throw new RangeError("join() without fork()");
    const length = this.#pos - at - 1;
    const size = varintSize(length);
    if (size > 1) {
      this.#ensure(size - 1);
      this.#buf.copyWithin(at + size, at + 1, this.#pos);
    }
    const end = this.#pos + size - 1;
    this.#pos = at;
    this.uint32(length);
    this.#pos = end;
    return this;
  }

  /** The bytes written. The writer must not be used after. */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  #ensure(extra: number): void {
    const needed = this.#pos + extra;
    if (needed <= this.#buf.length) return;
    this.#buf = grownBytes(this.#buf, this.#pos, needed);
    this.#view = new DataView(this.#buf.buffer);
  }
}

/** Bytes of the varint of an unsigned 32-bit `n`. */
function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}
