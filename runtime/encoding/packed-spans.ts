import type { StandardTraceSpan } from "../../generated/index.js";
import { buildStandardTraceSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import { ownKeyCount } from "../records/own-key-count.js";

/** Spans per chunk (a power of two): a chunk's bytes and references are allocated, and freed, together. */
const chunkSlots = 1024;
const slotBits = 10;
/** Ids and times of one span: trace id (16 bytes), span id (8), parent span id (8), start (8), end (8). */
const slotBytes = 48;
/** Chunk numbers wrap here, so that a record (chunk number × chunkSlots + slot) stays a small integer. */
const chunkNumbers = 1 << 16;
/** What a packed span holds, for the queue's bound: its slot's bytes and reference, its shape when not shared, and its queue slot. */
const packedFixedBytes = 128;
/** What a span held as its contract message is assumed to take: the message, its two times and two id strings. */
const messageFixedBytes = 400;
const maxUint64 = 0xffff_ffff_ffff_ffffn;

/** The value of each lowercase hex digit's character code. */
const hexValue = new Uint8Array(128).map((_, c) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 0));

/**
 * Writes the `n` bytes that the `2n` lowercase hex digits of `hex` (validated) spell at `out[at]`.
 * (Measured faster than `Buffer#write(hex, at, n, "hex")` in the client's span path, where that
 * call stays generic, by about 90 ns a span.)
 */
function hexInto(hex: string, out: Uint8Array, at: number, n: number): void {
  for (let i = 0; i < n; i++) out[at + i] = (hexValue[hex.charCodeAt(2 * i) & 127]! << 4) | hexValue[hex.charCodeAt(2 * i + 1) & 127]!;
}

/** The part of a span's byte estimate that its name, attributes and events add, packed or not. */
function payloadBytes(span: StandardTraceSpan): number {
  return span.name.length + (ownKeyCount(span.attributes) + span.events.length) * 64;
}

/** Bytes a span is assumed to take in the queue as its contract message. */
export function spanMessageBytes(span: StandardTraceSpan): number {
  return messageFixedBytes + payloadBytes(span);
}

/** Bytes a packed span is assumed to take in the queue (see {@link PackedSpans}). */
export function packedSpanBytes(span: StandardTraceSpan): number {
  return packedFixedBytes + payloadBytes(span);
}

/** {@link packedSpanBytes} of the span whose {@link spanMessageBytes} are `messageBytes`, without counting its keys again. */
export function packedBytesOf(messageBytes: number): number {
  return messageBytes - messageFixedBytes + packedFixedBytes;
}

/** Writes the bytes hex id `id` spells at `out[word]` (32-bit words) when it has them at hand, returning whether it did. */
export type IdBytesSource = (id: string, out: Uint32Array, word: number) => boolean;

const noIdBytes: IdBytesSource = () => false;

/**
 * A packed span's fields other than its ids and times: name, kind, service, status, attributes,
 * events, contract version, scope name and version. Consecutive spans mostly share all of them (the
 * same call site), so they share one shape: a chunk holds one reference per span, not nine.
 */
type SpanShape = readonly [
  string,
  number,
  StandardTraceSpan["service"],
  StandardTraceSpan["status"],
  StandardTraceSpan["attributes"],
  StandardTraceSpan["events"],
  string,
  string,
  string,
];

/** Whether `span`'s other fields are `shape`'s, each the same value (or reference). */
function hasShape(span: StandardTraceSpan, shape: SpanShape): boolean {
  return (
    span.name === shape[0] &&
    span.kind === shape[1] &&
    span.service === shape[2] &&
    span.status === shape[3] &&
    span.attributes === shape[4] &&
    span.events === shape[5] &&
    span.contractVersion === shape[6] &&
    span.scopeName === shape[7] &&
    span.scopeVersion === shape[8]
  );
}

function shapeOf(span: StandardTraceSpan): SpanShape {
  return [span.name, span.kind, span.service, span.status, span.attributes, span.events, span.contractVersion, span.scopeName, span.scopeVersion];
}

/** One chunk of packed spans. */
class Chunk {
  readonly bytes = Buffer.allocUnsafeSlow(chunkSlots * slotBytes);
  readonly times = new BigUint64Array(this.bytes.buffer, this.bytes.byteOffset, chunkSlots * (slotBytes / 8));
  readonly words = new Uint32Array(this.bytes.buffer, this.bytes.byteOffset, chunkSlots * (slotBytes / 4));
  readonly shapes: (SpanShape | undefined)[] = new Array<SpanShape | undefined>(chunkSlots).fill(undefined);

  /**
   * @param serial - how many chunks were made before this one.
   * @param number - `serial` modulo the chunk numbers: the high part of its records.
   */
  constructor(
    readonly serial: number,
    readonly number: number,
  ) {}
}

/**
 * Finished spans as they wait in the span queue, packed: validated contract spans whose ids and
 * times are written into large shared chunks (off the JavaScript heap) and whose other fields stay
 * as references (names, statuses, attribute maps: mostly shared by many spans). A packed span is a
 * small integer (its record), so a queue of many thousands of spans is no work for the garbage
 * collector, which a queue of messages is (each a message, two times and two id strings, copied as
 * the young generation is collected and marked again in the old one).
 *
 * Records are unpacked, as the same contract messages, in the order they were packed (the queue is
 * FIFO): unpacking a batch frees the chunks wholly before it, whose records were unpacked or dropped.
 * A dropped record's slot is freed so, too, once later records are unpacked. At most `maxBytes` worth
 * of records (at {@link packedSpanBytes} each) are held; past it {@link pack} declines and the caller
 * queues the message as it is. Never throws but on a record it never gave.
 */
export class PackedSpans {
  readonly #chunks = new Map<number, Chunk>();
  /** Chunks in the order they were made, oldest first. */
  readonly #order: Chunk[] = [];
  readonly #maxChunks: number;
  #current: Chunk | undefined = undefined;
  #slot = chunkSlots;
  #serial = 0;
  readonly #keep: number;
  /** The shape of the span packed last, for the next one to share. */
  #lastShape: SpanShape = ["", 0, undefined, undefined, {}, [], "", "", ""];

  readonly #copyId: IdBytesSource;

  /**
   * @param maxBytes - the span queue's bound: the chunks hold at most this much of packed records.
   * @param keep - the most records a batch takes: records this far before the first one unpacked are kept.
   * @param copyId - writes the bytes of an id whose bytes it has (the id generator's last ones); else the digits are decoded.
   */
  constructor(maxBytes: number, keep: number, copyId: IdBytesSource = noIdBytes) {
    this.#keep = keep;
    this.#copyId = copyId;
    this.#maxChunks = Math.min(chunkNumbers - 1, Math.ceil(maxBytes / packedFixedBytes / chunkSlots) + Math.ceil(keep / chunkSlots) + 1);
  }

  /** Chunks held now. */
  get chunks(): number {
    return this.#order.length;
  }

  /**
   * Packs a validated span: its record, or -1 when it is not packed (the chunks are full, or a time
   * does not fit 64 bits), and the caller queues the message itself.
   */
  pack(span: StandardTraceSpan): number {
    const start = span.startTimeUnixNano;
    const end = span.endTimeUnixNano;
    if (start > maxUint64 || end > maxUint64) return -1; // (validated: both above 0)
    if (this.#slot === chunkSlots && !this.#nextChunk()) return -1;
    const chunk = this.#current!;
    const slot = this.#slot++;
    const bytes = chunk.bytes;
    const at = slot * slotBytes;
    const copyId = this.#copyId;
    const word = slot * (slotBytes / 4);
    if (!copyId(span.traceId, chunk.words, word)) hexInto(span.traceId, bytes, at, 16);
    if (!copyId(span.spanId, chunk.words, word + 4)) hexInto(span.spanId, bytes, at + 16, 8);
    // A parent id is never all zeros (the validator refuses it): zeros say "no parent".
    if (span.parentSpanId === "") chunk.times[slot * 6 + 3] = 0n;
    else if (!copyId(span.parentSpanId, chunk.words, word + 6)) hexInto(span.parentSpanId, bytes, at + 24, 8);
    chunk.times[slot * 6 + 4] = start;
    chunk.times[slot * 6 + 5] = end;
    let shape = this.#lastShape;
    if (!hasShape(span, shape)) this.#lastShape = shape = shapeOf(span);
    chunk.shapes[slot] = shape;
    return (chunk.number << slotBits) | slot;
  }

  /**
   * The contract messages of queued spans, in order: packed records unpacked (built again by the
   * generated builder), messages as they are. Frees the chunks before the first packed record.
   * @throws RangeError for a record whose chunk is gone (a bug: the batch's records are then dropped as `encode_error`).
   */
  unpackAll(records: readonly (StandardTraceSpan | number)[]): StandardTraceSpan[] {
    const out = new Array<StandardTraceSpan>(records.length);
    let released = false;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (typeof record !== "number") {
        out[i] = record;
        continue;
      }
      if (!released) {
        this.#releaseBefore(record);
        released = true;
      }
      out[i] = this.#unpack(record);
    }
    return out;
  }

  #unpack(record: number): StandardTraceSpan {
    const chunk = this.#chunks.get(record >>> slotBits);
    const slot = record & (chunkSlots - 1);
    if (chunk === undefined || (chunk === this.#current && slot >= this.#slot)) throw new RangeError(`no packed span ${record}`);
    const at = slot * slotBytes;
    const bytes = chunk.bytes;
    const shape = chunk.shapes[slot]!;
    const parent = bytes.readUInt32LE(at + 24) !== 0 || bytes.readUInt32LE(at + 28) !== 0;
    return buildStandardTraceSpan({
      traceId: bytes.toString("hex", at, at + 16),
      spanId: bytes.toString("hex", at + 16, at + 24),
      parentSpanId: parent ? bytes.toString("hex", at + 24, at + 32) : "",
      name: shape[0],
      kind: shape[1],
      service: shape[2],
      startTimeUnixNano: chunk.times[slot * 6 + 4]!,
      endTimeUnixNano: chunk.times[slot * 6 + 5]!,
      status: shape[3],
      attributes: shape[4],
      events: shape[5],
      contractVersion: shape[6],
      scopeName: shape[7],
      scopeVersion: shape[8],
    });
  }

  /**
   * Frees the chunks whose every slot is more than `keep` slots before `record`: the records of the
   * batch `record` is in (the batch loop may unpack them again, one by one, to find a bad one) are
   * within `keep` of it, and later batches come after it. Never the chunk being filled.
   */
  #releaseBefore(record: number): void {
    const chunk = this.#chunks.get(record >>> slotBits);
    if (chunk === undefined) return;
    const oldestKept = chunk.serial * chunkSlots + (record & (chunkSlots - 1)) - this.#keep;
    const order = this.#order;
    while (order.length > 0 && order[0] !== this.#current && (order[0]!.serial + 1) * chunkSlots <= oldestKept) {
      this.#chunks.delete(order.shift()!.number);
    }
  }

  #nextChunk(): boolean {
    if (this.#order.length >= this.#maxChunks) return false;
    const chunk = new Chunk(this.#serial, this.#serial % chunkNumbers);
    this.#serial++;
    this.#chunks.set(chunk.number, chunk);
    this.#order.push(chunk);
    this.#current = chunk;
    this.#slot = 0;
    return true;
  }
}
