/** An msgpack ext value (type and raw data), as decoded by {@link FrameDecoder}. */
export class MsgpackExt {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
  ) {}
}

/**
 * A decoded msgpack value. Both str and bin become `Uint8Array` (Fluent Bit sends binary nonces as
 * str, so str bytes must stay raw; use {@link asText}); maps become `Map`s with string keys.
 */
export type MsgpackValue =
  | null
  | boolean
  | number
  | bigint
  | Uint8Array
  | MsgpackExt
  | MsgpackValue[]
  | Map<string, MsgpackValue>;

/** Result of {@link FrameDecoder.next}: a value, "need more bytes", or a protocol error message. */
export type FrameResult =
  | { readonly kind: "value"; readonly value: MsgpackValue }
  | { readonly kind: "incomplete" }
  | { readonly kind: "invalid"; readonly reason: string };

const textDecoder = new TextDecoder();
const incomplete: FrameResult = Object.freeze({ kind: "incomplete" });

class Incomplete {}
class Invalid {
  constructor(readonly reason: string) {}
}
const needMore = new Incomplete();

/**
 * A lenient streaming msgpack decoder for the small messages a forward receiver sends back
 * (HELO, PONG, `{ack}`). `push()` the socket's chunks, then call `next()` until it is not a value.
 *
 * Failure behaviour: never throws; bytes that are not msgpack (type 0xc1), nesting deeper than 16
 * or more than `maxBufferedBytes` (default 64 KiB) buffered without a complete value give
 * `invalid` — the peer is then not speaking the forward protocol.
 */
export class FrameDecoder {
  #buf: Uint8Array = new Uint8Array(0);
  #pos = 0;
  readonly #maxBufferedBytes: number;

  constructor(maxBufferedBytes = 65536) {
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /** Appends received bytes. */
  push(chunk: Uint8Array): void {
    const rest = this.#buf.subarray(this.#pos);
    const next = new Uint8Array(rest.length + chunk.length);
    next.set(rest);
    next.set(chunk, rest.length);
    this.#buf = next;
    this.#pos = 0;
  }

  /** Decodes the next complete value, if any. */
  next(): FrameResult {
    if (this.#pos >= this.#buf.length) return incomplete;
    const start = this.#pos;
    try {
      const value = this.#read(0);
      return { kind: "value", value };
    } catch (e: unknown) {
      this.#pos = start;
      if (e instanceof Invalid) return { kind: "invalid", reason: e.reason };
      if (e instanceof Incomplete) {
        if (this.#buf.length - start > this.#maxBufferedBytes) {
          return { kind: "invalid", reason: `more than ${this.#maxBufferedBytes} bytes without a complete msgpack value` };
        }
        return incomplete;
      }
      return { kind: "invalid", reason: e instanceof Error ? e.message : String(e) };
    }
  }

  #take(n: number): Uint8Array {
    if (this.#pos + n > this.#buf.length) throw needMore;
    const out = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  #uint(bytes: number): number {
    const b = this.#take(bytes);
    let n = 0;
    for (const byte of b) n = n * 256 + byte;
    return n;
  }

  #int(bytes: number): number | bigint {
    const b = this.#take(bytes);
    const view = new DataView(b.buffer, b.byteOffset, bytes);
    if (bytes === 1) return view.getInt8(0);
    if (bytes === 2) return view.getInt16(0);
    if (bytes === 4) return view.getInt32(0);
    const v = view.getBigInt64(0);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  #read(depth: number): MsgpackValue {
    if (depth > 16) throw new Invalid("msgpack nesting deeper than 16");
    const t = this.#uint(1);
    if (t < 0x80) return t;
    if (t >= 0xe0) return t - 256;
    if (t < 0x90) return this.#map(t & 0x0f, depth);
    if (t < 0xa0) return this.#array(t & 0x0f, depth);
    if (t < 0xc0) return this.#take(t & 0x1f);
    switch (t) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: case 0xd9: return this.#take(this.#uint(1));
      case 0xc5: case 0xda: return this.#take(this.#uint(2));
      case 0xc6: case 0xdb: return this.#take(this.#uint(4));
      case 0xc7: return this.#ext(this.#uint(1));
      case 0xc8: return this.#ext(this.#uint(2));
      case 0xc9: return this.#ext(this.#uint(4));
      case 0xca: { const b = this.#take(4); return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0); }
      case 0xcb: { const b = this.#take(8); return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0); }
      case 0xcc: return this.#uint(1);
      case 0xcd: return this.#uint(2);
      case 0xce: return this.#uint(4);
      case 0xcf: { const hi = this.#uint(4); const lo = this.#uint(4); const v = hi * 4294967296 + lo;
        return Number.isSafeInteger(v) ? v : (BigInt(hi) << 32n) | BigInt(lo); }
      case 0xd0: return this.#int(1);
      case 0xd1: return this.#int(2);
      case 0xd2: return this.#int(4);
      case 0xd3: return this.#int(8);
      case 0xd4: return this.#ext(1);
      case 0xd5: return this.#ext(2);
      case 0xd6: return this.#ext(4);
      case 0xd7: return this.#ext(8);
      case 0xd8: return this.#ext(16);
      case 0xdc: return this.#array(this.#uint(2), depth);
      case 0xdd: return this.#array(this.#uint(4), depth);
      case 0xde: return this.#map(this.#uint(2), depth);
      case 0xdf: return this.#map(this.#uint(4), depth);
      default: throw new Invalid(`byte 0x${t.toString(16)} is not msgpack`);
    }
  }

  #ext(n: number): MsgpackExt {
    const type = this.#int(1) as number;
    return new MsgpackExt(type, this.#take(n));
  }

  #array(n: number, depth: number): MsgpackValue[] {
    if (n > this.#buf.length - this.#pos) throw n > this.#maxBufferedBytes ? new Invalid(`array of ${n} elements`) : needMore;
    const out: MsgpackValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.#read(depth + 1));
    return out;
  }

  #map(n: number, depth: number): Map<string, MsgpackValue> {
    if (n > this.#buf.length - this.#pos) throw n > this.#maxBufferedBytes ? new Invalid(`map of ${n} entries`) : needMore;
    const out = new Map<string, MsgpackValue>();
    for (let i = 0; i < n; i++) {
      const key = this.#read(depth + 1);
      out.set(key instanceof Uint8Array ? textDecoder.decode(key) : String(key), this.#read(depth + 1));
    }
    return out;
  }
}

/** The UTF-8 text of a decoded str/bin, `String(x)` of numbers and booleans, `undefined` otherwise. */
export function asText(value: MsgpackValue | undefined): string | undefined {
  if (value instanceof Uint8Array) return textDecoder.decode(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return undefined;
}
