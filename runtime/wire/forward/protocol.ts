/**
 * The Fluentd forward protocol v1's messages, for both sides: what a client writes (the PackedForward
 * head and its option map), what a server reads out of any of the four event modes, the `{ack}`
 * round trip and EventTime. The HELO/PING/PONG handshake is in `handshake.ts`.
 *
 * Event modes (`option` is `{size?, chunk?, compressed?}`):
 * - Message `[tag, time, record, option?]`
 * - Forward `[tag, [[time, record], …], option?]`
 * - PackedForward `[tag, bin(concatenated [time, record] entries), option?]`
 * - CompressedPackedForward: PackedForward whose bin is gzipped, with `compressed: "gzip"`.
 */
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { asText, decodeAllMsgpack, isDecodedMap, MsgpackExtValue } from "../msgpack-decoder.js";
import { MsgpackWriter } from "../msgpack-writer.js";

/** The four event modes. */
export type ForwardMode = "Message" | "Forward" | "PackedForward" | "CompressedPackedForward";

/** The option map a client ends an event message with. */
export interface ForwardOption {
  /** Number of events in the message. */
  readonly size: number;
  /** Asks the server for `{ack: chunk}` once the events are stored. */
  readonly chunk: string;
  /** The PackedForward entries are gzipped (`compressed: "gzip"`). */
  readonly compressed: boolean;
}

/** One event as decoded: a time (EventTime ext, or seconds) and a record (a map, if well formed). */
export type ForwardEntry = readonly [time: unknown, record: unknown];

/** A decoded event message split by mode; PackedForward entries are still bytes (see {@link forwardEntries}). */
export type ForwardMessage =
  | {
      readonly mode: "Message" | "Forward";
      readonly tag: string;
      readonly entries: readonly ForwardEntry[];
      readonly option: Readonly<Record<string, unknown>>;
    }
  | {
      readonly mode: "PackedForward" | "CompressedPackedForward";
      readonly tag: string;
      readonly packed: Uint8Array;
      readonly option: Readonly<Record<string, unknown>>;
    };

/** How {@link forwardEntries} unpacks PackedForward entries. */
export interface UnpackOptions {
  /** Largest gunzipped CompressedPackedForward body, in bytes. Default: no bound. */
  readonly maxBytes?: number;
  /** Decodes concatenated msgpack values, or says why not. Default: our reader. */
  readonly decodeAll?: (bytes: Uint8Array) => readonly unknown[] | string;
}

/** A fresh chunk id for the `chunk` option (16 random bytes, base64). */
export function newChunkId(): string {
  return randomBytes(16).toString("base64");
}

/**
 * Writes the head of a PackedForward message, `[tag, <bin header of byteLength>`: the entries
 * (`byteLength` bytes, gzipped for CompressedPackedForward) and then the option map follow.
 */
export function writePackedForwardHead(writer: MsgpackWriter, tag: string, byteLength: number): void {
  writer.writeArrayHeader(3);
  writer.writeString(tag);
  writer.writeBinaryHeader(byteLength);
}

/** Writes the option map `{size, chunk}` (plus `compressed: "gzip"` when compressed). */
export function writeForwardOption(writer: MsgpackWriter, option: ForwardOption): void {
  writer.writeMapHeader(option.compressed ? 3 : 2);
  writer.writeString("size");
  writer.writeNumber(option.size);
  writer.writeString("chunk");
  writer.writeString(option.chunk);
  if (option.compressed) {
    writer.writeString("compressed");
    writer.writeString("gzip");
  }
}

/** A message (handshake, ack, …) as msgpack bytes. */
export function packMessage(message: unknown): Uint8Array {
  const writer = new MsgpackWriter(256);
  writer.writeValue(message);
  return writer.toBytes();
}

/** The server's answer once the events of a message with a `chunk` option are stored. */
export function ackMessage(chunk: unknown): { readonly ack: unknown } {
  return { ack: chunk };
}

/** The `chunk` to acknowledge for a message's option, `undefined` when it asks for no ack. */
export function chunkToAck(option: Readonly<Record<string, unknown>>): unknown {
  const chunk = option.chunk;
  return chunk === null ? undefined : chunk;
}

/** The chunk id a server's `{ack: chunk}` acknowledges (`""` when unreadable), `undefined` when `value` is no ack. */
export function ackedChunk(value: unknown): string | undefined {
  if (!isDecodedMap(value) || !Object.hasOwn(value, "ack")) return undefined;
  return asText(value.ack) ?? "";
}

/**
 * Splits a decoded client message by event mode. A str PackedForward body (old Fluentd) is taken
 * as its UTF-8 bytes. Returns why when it is not an event message.
 */
export function parseForwardMessage(message: unknown): ForwardMessage | string {
  if (!Array.isArray(message) || message.length < 2) return "not a forward message (expected [tag, …])";
  const tag: unknown = message[0];
  if (typeof tag !== "string" || tag === "") return "message without a tag";
  const body: unknown = message[1];
  if (body instanceof Uint8Array || typeof body === "string") {
    const option = optionOf(message[2]);
    const packed = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    return { mode: option.compressed === "gzip" ? "CompressedPackedForward" : "PackedForward", tag, packed, option };
  }
  if (Array.isArray(body)) {
    const entries: ForwardEntry[] = [];
    for (const item of body as unknown[]) {
      if (!Array.isArray(item)) return "Forward entry is not [time, record]";
      entries.push([item[0], item[1]]);
    }
    return { mode: "Forward", tag, entries, option: optionOf(message[2]) };
  }
  return { mode: "Message", tag, entries: [[body, message[2]]], option: optionOf(message[3]) };
}

/** The events of a message: gunzipped and decoded for the PackedForward modes. Returns why when they do not decode. */
export function forwardEntries(message: ForwardMessage, options: UnpackOptions = {}): readonly ForwardEntry[] | string {
  if (!("packed" in message)) return message.entries;
  let bytes = message.packed;
  if (message.mode === "CompressedPackedForward") {
    try {
      bytes = gunzipSync(bytes, options.maxBytes === undefined ? {} : { maxOutputLength: options.maxBytes });
    } catch (e: unknown) {
      return `CompressedPackedForward entries do not gunzip: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const decoded = (options.decodeAll ?? decodeAllMsgpack)(bytes);
  if (typeof decoded === "string") return `PackedForward entries are not msgpack: ${decoded}`;
  const entries: ForwardEntry[] = [];
  for (const item of decoded) {
    if (!Array.isArray(item)) return "PackedForward entry is not [time, record]";
    entries.push([item[0], item[1]]);
  }
  return entries;
}

/**
 * `[seconds, nanoseconds]` of a forward-protocol EventTime (ext type 0: uint32 seconds, uint32
 * nanoseconds, big-endian), or `undefined` when `value` is not one.
 */
export function eventTimeOf(value: unknown): readonly [number, number] | undefined {
  if (!(value instanceof MsgpackExtValue) || value.type !== 0 || value.data.length !== 8) return undefined;
  const view = new DataView(value.data.buffer, value.data.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

function optionOf(value: unknown): Readonly<Record<string, unknown>> {
  return isDecodedMap(value) ? value : {};
}
