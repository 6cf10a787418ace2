/** What {@link MsgpackFramer.feed} found in a chunk. */
export type FrameStep =
  | { readonly kind: "incomplete" }
  /** A top-level value ends `end` bytes into the chunk (exclusive). */
  | { readonly kind: "complete"; readonly end: number }
  | { readonly kind: "invalid"; readonly reason: string };

const incomplete: FrameStep = { kind: "incomplete" };
const maxDepth = 100;

/** Types whose payload length is in a 1, 2 or 4-byte field: bin8/16/32, ext8/16/32, str8/16/32. */
const lengthBytes: ReadonlyMap<number, number> = new Map([
  [0xc4, 1],
  [0xc5, 2],
  [0xc6, 4],
  [0xc7, 1],
  [0xc8, 2],
  [0xc9, 4],
  [0xd9, 1],
  [0xda, 2],
  [0xdb, 4],
]);
/** Fixed-size types (float, uint, int, fixext): bytes after the type byte. */
const fixedBytes: ReadonlyMap<number, number> = new Map([
  [0xca, 4],
  [0xcb, 8],
  [0xcc, 1],
  [0xcd, 2],
  [0xce, 4],
  [0xcf, 8],
  [0xd0, 1],
  [0xd1, 2],
  [0xd2, 4],
  [0xd3, 8],
  [0xd4, 2],
  [0xd5, 3],
  [0xd6, 5],
  [0xd7, 9],
  [0xd8, 17],
]);
/** Container types with a 2 or 4-byte count field: array16/32, map16/32. */
const countBytes: ReadonlyMap<number, number> = new Map([
  [0xdc, 2],
  [0xdd, 4],
  [0xde, 2],
  [0xdf, 4],
]);

/**
 * Finds where msgpack values end in a byte stream without decoding them, keeping its state across
 * chunks, so a connection can collect a large message's chunks and decode it once when complete:
 * linear in the bytes received (payloads of bin, str and ext are skipped by length, not scanned).
 * Decoding (and rejecting malformed content) is left to the decoder.
 */
export class MsgpackFramer {
  /** Items still to read in each open container, innermost last. */
  readonly #open: number[] = [];
  /** Payload bytes still to skip. */
  #skip = 0;
  /** Bytes of a length or count field read so far, and what it is for. */
  #field: number[] = [];
  #fieldSize = 0;
  #fieldType = 0;
  /** Values started so far (each map key and value, array element, scalar). */
  items = 0;

  /** Scans `chunk` from `from`; stops at the end of the first top-level value that completes. */
  feed(chunk: Uint8Array, from = 0): FrameStep {
    let i = from;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        if (this.#skip === 0 && this.#itemDone()) return { kind: "complete", end: i };
        continue;
      }
      const b = chunk[i++]!;
      if (this.#fieldSize > 0) {
        this.#field.push(b);
        if (this.#field.length < this.#fieldSize) continue;
        const step = this.#fieldRead();
        if (step === "done") return { kind: "complete", end: i };
        if (step !== undefined) return step;
        continue;
      }
      const step = this.#typeByte(b);
      if (step === "done") return { kind: "complete", end: i };
      if (step !== undefined) return step;
    }
    return incomplete;
  }

  /** Reads one type byte; `"done"` when it completes the top-level value. */
  #typeByte(t: number): FrameStep | "done" | undefined {
    this.items++;
    if (t < 0x80 || t >= 0xe0 || t === 0xc0 || t === 0xc2 || t === 0xc3) return this.#itemDone() ? "done" : undefined;
    if (t <= 0x8f) return this.#container((t & 0x0f) * 2);
    if (t <= 0x9f) return this.#container(t & 0x0f);
    if (t <= 0xbf) return this.#payload(t & 0x1f);
    const fixed = fixedBytes.get(t);
    if (fixed !== undefined) return this.#payload(fixed);
    const size = lengthBytes.get(t) ?? countBytes.get(t);
    if (size === undefined) return { kind: "invalid", reason: `msgpack type byte 0x${t.toString(16)}` };
    this.#field = [];
    this.#fieldSize = size;
    this.#fieldType = t;
    return undefined;
  }

  #fieldRead(): FrameStep | "done" | undefined {
    let n = 0;
    for (const b of this.#field) n = n * 256 + b;
    const t = this.#fieldType;
    this.#fieldSize = 0;
    if (countBytes.has(t)) return this.#container(t >= 0xde ? n * 2 : n);
    return this.#payload(t >= 0xc7 && t <= 0xc9 ? n + 1 : n);
  }

  #payload(n: number): "done" | undefined {
    if (n > 0) {
      this.#skip = n;
      return undefined;
    }
    return this.#itemDone() ? "done" : undefined;
  }

  #container(items: number): FrameStep | "done" | undefined {
    if (items === 0) return this.#itemDone() ? "done" : undefined;
    if (this.#open.length >= maxDepth) return { kind: "invalid", reason: `msgpack nesting deeper than ${maxDepth}` };
    this.#open.push(items);
    return undefined;
  }

  /** One item finished: closes the containers it completes; `true` when the top-level value is complete. */
  #itemDone(): boolean {
    for (;;) {
      const last = this.#open.length - 1;
      if (last < 0) return true;
      const left = this.#open[last]! - 1;
      if (left > 0) {
        this.#open[last] = left;
        return false;
      }
      this.#open.pop();
    }
  }
}

/** The item count of an array header at `at`, or `undefined` when no array starts there. */
function arrayCount(bytes: Uint8Array, at: number): number | undefined {
  if (at >= bytes.length) return undefined;
  const t = bytes[at]!;
  if (t >= 0x90 && t <= 0x9f) return t & 0x0f;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (t === 0xdc && at + 3 <= bytes.length) return view.getUint16(at + 1);
  if (t === 0xdd && at + 5 <= bytes.length) return view.getUint32(at + 1);
  return undefined;
}

/**
 * How many records a msgpack body carries, without decoding it: the items of a body that is one
 * array, else the number of top-level values; counting stops past `limit` (the result is then
 * `limit + 1`). Malformed or truncated bytes count what was found (the decoder then says why).
 */
export function countMsgpackRecords(bytes: Uint8Array, limit: number): number {
  const framer = new MsgpackFramer();
  let values = 0;
  let from = 0;
  while (from < bytes.length && values <= limit) {
    const step = framer.feed(bytes, from);
    if (step.kind !== "complete") break;
    values++;
    from = step.end;
  }
  if (values === 1 && from === bytes.length) return Math.min(arrayCount(bytes, 0) ?? 1, limit + 1);
  return values;
}

/** Bytes scanned between two looks at the item count. */
const itemSlice = 64 * 1024;

/**
 * How many values a msgpack body holds at every depth (each map key and value, array element,
 * scalar), without decoding it: one linear pass that stops once past `limit` (give or take 64 KiB of
 * bytes). Malformed bytes count what was found (the decoder then says why).
 */
export function countMsgpackItems(bytes: Uint8Array, limit: number): number {
  const framer = new MsgpackFramer();
  for (let from = 0; from < bytes.length && framer.items <= limit; from += itemSlice) {
    const slice = bytes.subarray(from, Math.min(bytes.length, from + itemSlice));
    for (let at = 0; at < slice.length; ) {
      const step = framer.feed(slice, at);
      if (step.kind === "invalid") return framer.items;
      if (step.kind === "incomplete") break;
      at = step.end;
    }
  }
  return framer.items;
}

/**
 * The entry count of a forward message in Forward mode (`[tag, [[time, record], …], option?]`),
 * read from the entries' array header before the message is decoded; `undefined` for other modes.
 */
export function forwardModeEntryCount(bytes: Uint8Array): number | undefined {
  const t = bytes[0];
  if (t === undefined || t < 0x92 || t > 0x94 || bytes.length < 3) return undefined;
  const s = bytes[1]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at: number;
  if (s >= 0xa0 && s <= 0xbf) at = 2 + (s & 0x1f);
  else if (s === 0xd9) at = 3 + bytes[2]!;
  else if (s === 0xda && bytes.length >= 4) at = 4 + view.getUint16(2);
  else if (s === 0xdb && bytes.length >= 6) at = 6 + view.getUint32(2);
  else return undefined;
  return arrayCount(bytes, at);
}
