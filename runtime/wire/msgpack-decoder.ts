// Our own reader, not @msgpack/msgpack's decoder, and not for speed (it reads acks, handshakes and what
// the local collector receives, none of it on a service's hot path): @msgpack/msgpack stays a
// devDependency (the independent decoder the tests check our writer with), and str bytes that are not
// UTF-8 stay bytes here (Fluent Bit's binary nonce, old Fluentd's PackedForward entries sent as str),
// where @msgpack/msgpack would replace them with U+FFFD and break the handshake digest.

/** An msgpack ext value: its type and raw data (the forward protocol's EventTime is type 0, 8 bytes). */
export class MsgpackExtValue {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
  ) {}
}

/**
 * A decoded msgpack value, as the collector reads what clients send: str becomes a `string` (or the
 * raw `Uint8Array` when it is not valid UTF-8, as old Fluentd's PackedForward entries sent as str),
 * bin a `Uint8Array`, maps plain objects with string keys, integers beyond 2^53 `bigint`.
 */
export type DecodedValue = null | boolean | number | bigint | string | Uint8Array | MsgpackExtValue | DecodedValue[] | { [key: string]: DecodedValue };

/** Result of {@link MsgpackStreamDecoder.next}. */
export type DecodeStep =
  | { readonly kind: "value"; readonly value: DecodedValue }
  | { readonly kind: "incomplete" }
  | { readonly kind: "invalid"; readonly reason: string };

// `ignoreBOM`: a str that starts with U+FEFF keeps it, so valid UTF-8 re-encodes to the bytes sent.
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder();
const maxDepth = 64;
const incomplete: DecodeStep = Object.freeze({ kind: "incomplete" });

class NeedMore {}
const needMore = new NeedMore();
class Invalid {
  constructor(readonly reason: string) {}
}

/**
 * A streaming msgpack decoder: `push()` received chunks, then call `next()` until it is not a value.
 * The one reader of the forward client (HELO, PONG, `{ack}`), the diagnostics probe and the local
 * collector's inputs (values of any size up to `maxBufferedBytes`), lenient about str and bin.
 *
 * Failure behaviour: never throws; the type byte 0xc1, nesting deeper than 64 or more than
 * `maxBufferedBytes` buffered without a complete value give `invalid` (the peer then gets closed).
 */
export class MsgpackStreamDecoder {
  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  readonly #maxBufferedBytes: number;

  /** @param maxBufferedBytes - largest incomplete value to wait for, in bytes. */
  constructor(maxBufferedBytes: number) {
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /** Number of bytes received but not yet decoded. */
  get buffered(): number {
    return this.#buf.length - this.#pos;
  }

  /** Appends received bytes. */
  push(chunk: Uint8Array): void {
    const rest = this.#buf.subarray(this.#pos);
    this.#buf = rest.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([rest, chunk]);
    this.#pos = 0;
  }

  /** Decodes the next complete value, if any. */
  next(): DecodeStep {
    if (this.#pos >= this.#buf.length) return incomplete;
    const start = this.#pos;
    try {
      return { kind: "value", value: this.#read(0) };
    } catch (e: unknown) {
      this.#pos = start;
      if (e instanceof NeedMore) {
        return this.#buf.length - start > this.#maxBufferedBytes
          ? { kind: "invalid", reason: `a message larger than ${this.#maxBufferedBytes} bytes` }
          : incomplete;
      }
      return { kind: "invalid", reason: e instanceof Invalid ? e.reason : String(e) };
    }
  }

  #take(n: number): Buffer {
    if (this.#pos + n > this.#buf.length) throw needMore;
    const out = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  #byte(): number {
    if (this.#pos >= this.#buf.length) throw needMore;
    return this.#buf[this.#pos++]!;
  }

  #uint(bytes: 1 | 2 | 4): number {
    const b = this.#take(bytes);
    return bytes === 1 ? b.readUInt8(0) : bytes === 2 ? b.readUInt16BE(0) : b.readUInt32BE(0);
  }

  #read(depth: number): DecodedValue {
    if (depth > maxDepth) throw new Invalid(`msgpack nesting deeper than ${maxDepth}`);
    const t = this.#byte();
    if (t < 0x80) return t;
    if (t >= 0xe0) return t - 256;
    if (t < 0x90) return this.#map(t & 0x0f, depth);
    if (t < 0xa0) return this.#array(t & 0x0f, depth);
    if (t < 0xc0) return this.#str(t & 0x1f);
    switch (t) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.#bin(this.#uint(1));
      case 0xc5:
        return this.#bin(this.#uint(2));
      case 0xc6:
        return this.#bin(this.#uint(4));
      case 0xc7:
        return this.#ext(this.#uint(1));
      case 0xc8:
        return this.#ext(this.#uint(2));
      case 0xc9:
        return this.#ext(this.#uint(4));
      case 0xca:
        return this.#take(4).readFloatBE(0);
      case 0xcb:
        return this.#take(8).readDoubleBE(0);
      case 0xcc:
        return this.#uint(1);
      case 0xcd:
        return this.#uint(2);
      case 0xce:
        return this.#uint(4);
      case 0xcf:
        return safe(this.#take(8).readBigUInt64BE(0));
      case 0xd0:
        return this.#take(1).readInt8(0);
      case 0xd1:
        return this.#take(2).readInt16BE(0);
      case 0xd2:
        return this.#take(4).readInt32BE(0);
      case 0xd3:
        return safe(this.#take(8).readBigInt64BE(0));
      case 0xd4:
        return this.#ext(1);
      case 0xd5:
        return this.#ext(2);
      case 0xd6:
        return this.#ext(4);
      case 0xd7:
        return this.#ext(8);
      case 0xd8:
        return this.#ext(16);
      case 0xd9:
        return this.#str(this.#uint(1));
      case 0xda:
        return this.#str(this.#uint(2));
      case 0xdb:
        return this.#str(this.#uint(4));
      case 0xdc:
        return this.#array(this.#uint(2), depth);
      case 0xdd:
        return this.#array(this.#uint(4), depth);
      case 0xde:
        return this.#map(this.#uint(2), depth);
      case 0xdf:
        return this.#map(this.#uint(4), depth);
      default:
        throw new Invalid(`byte 0x${t.toString(16)} is not msgpack`);
    }
  }

  #str(n: number): string | Uint8Array {
    const bytes = this.#take(n);
    try {
      return strict.decode(bytes);
    } catch {
      // Not UTF-8: raw bytes carried as str (old Fluentd PackedForward entries). Kept as bytes.
      return Uint8Array.from(bytes);
    }
  }

  #bin(n: number): Uint8Array {
    return Uint8Array.from(this.#take(n));
  }

  #ext(n: number): MsgpackExtValue {
    const type = this.#take(1).readInt8(0);
    return new MsgpackExtValue(type, Uint8Array.from(this.#take(n)));
  }

  #array(n: number, depth: number): DecodedValue[] {
    // Every element takes at least one byte: a count beyond the buffered bytes cannot complete yet.
    if (n > this.#buf.length - this.#pos) {
      if (n > this.#maxBufferedBytes) throw new Invalid(`an array of ${n} elements`);
      throw needMore;
    }
    const out: DecodedValue[] = new Array<DecodedValue>(n);
    for (let i = 0; i < n; i++) out[i] = this.#read(depth + 1);
    return out;
  }

  #map(n: number, depth: number): { [key: string]: DecodedValue } {
    if (2 * n > this.#buf.length - this.#pos) {
      if (n > this.#maxBufferedBytes) throw new Invalid(`a map of ${n} entries`);
      throw needMore;
    }
    const out: { [key: string]: DecodedValue } = {};
    for (let i = 0; i < n; i++) {
      const raw = this.#read(depth + 1);
      const key = typeof raw === "string" ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString("utf8") : String(raw);
      const value = this.#read(depth + 1);
      // Own data property even for "__proto__": a record key must never reach the prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}

function safe(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * Decodes every value in `bytes` (e.g. the concatenated entries of a PackedForward message).
 * @returns the values, or a reason when the bytes are not complete msgpack values.
 */
export function decodeAllMsgpack(bytes: Uint8Array): DecodedValue[] | string {
  const decoder = new MsgpackStreamDecoder(bytes.byteLength);
  decoder.push(bytes);
  const out: DecodedValue[] = [];
  for (;;) {
    const step = decoder.next();
    if (step.kind === "value") out.push(step.value);
    else if (step.kind === "invalid") return step.reason;
    else return decoder.buffered === 0 ? out : "truncated msgpack";
  }
}

/**
 * The text of a decoded str (or of str bytes that are not UTF-8 and of bin, decoded with U+FFFD for
 * bad bytes), `String(x)` of numbers, bigints and booleans, `undefined` for anything else.
 */
export function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return lenient.decode(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return undefined;
}

/** Whether a decoded value is an msgpack map (a plain object; arrays, bytes and ext values are not). */
export function isDecodedMap(value: unknown): value is { [key: string]: DecodedValue } {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
