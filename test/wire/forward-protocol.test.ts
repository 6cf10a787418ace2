import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  ackedChunk,
  ackMessage,
  chunkToAck,
  forwardEntries,
  packMessage,
  parseForwardMessage,
  writeForwardOption,
  writePackedForwardHead,
} from "../../runtime/wire/forward/protocol.js";
import { decodeAllMsgpack, MsgpackExtValue } from "../../runtime/wire/msgpack-decoder.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";

function entriesBytes(): Uint8Array {
  const writer = new MsgpackWriter();
  writer.writeEntry(1, 2, { a: 1 });
  writer.writeEntry(3, 4, { b: 2 });
  return writer.toBytes();
}

/** A PackedForward message as the client writes it: head, entries, option. */
function packedMessage(gzip: boolean): unknown {
  const entries = gzip ? gzipSync(entriesBytes()) : entriesBytes();
  const writer = new MsgpackWriter();
  writePackedForwardHead(writer, "app.log", entries.byteLength);
  writer.writeRaw(entries);
  writeForwardOption(writer, { size: 2, chunk: "c1", compressed: gzip });
  const [message] = decodeAllMsgpack(writer.toBytes()) as unknown[];
  return message;
}

describe("forward protocol messages", () => {
  it("reads back a PackedForward and a CompressedPackedForward message the client writes", () => {
    for (const gzip of [false, true]) {
      const message = parseForwardMessage(packedMessage(gzip));
      if (typeof message === "string") throw new Error(message);
      expect(message).toMatchObject({ mode: gzip ? "CompressedPackedForward" : "PackedForward", tag: "app.log", option: { size: 2, chunk: "c1" } });
      const entries = forwardEntries(message);
      if (typeof entries === "string") throw new Error(entries);
      expect(entries.map(([time, record]) => [time instanceof MsgpackExtValue, record])).toEqual([
        [true, { a: 1 }],
        [true, { b: 2 }],
      ]);
      expect(chunkToAck(message.option)).toBe("c1");
    }
  });

  it("reads Message and Forward modes, and says why something is not an event message", () => {
    expect(parseForwardMessage(["t", 5, { m: 1 }, { chunk: "x" }])).toMatchObject({ mode: "Message", entries: [[5, { m: 1 }]], option: { chunk: "x" } });
    expect(parseForwardMessage(["t", [[5, { m: 1 }]]])).toMatchObject({ mode: "Forward", entries: [[5, { m: 1 }]], option: {} });
    expect(parseForwardMessage(["t", [7]])).toBe("Forward entry is not [time, record]");
    expect(parseForwardMessage(["", []])).toBe("message without a tag");
    expect(parseForwardMessage({ ack: "x" })).toMatch(/not a forward message/);
  });

  it("refuses PackedForward bytes that do not gunzip or decode, and a gunzipped body over the bound", () => {
    const message = parseForwardMessage(["t", Uint8Array.of(0xc1), { compressed: "gzip" }]);
    if (typeof message === "string") throw new Error(message);
    expect(forwardEntries(message)).toMatch(/do not gunzip/);
    const plain = parseForwardMessage(["t", Uint8Array.of(0xc1)]);
    if (typeof plain === "string") throw new Error(plain);
    expect(forwardEntries(plain)).toMatch(/not msgpack/);
    const big = parseForwardMessage(["t", gzipSync(entriesBytes()), { compressed: "gzip" }]);
    if (typeof big === "string") throw new Error(big);
    expect(forwardEntries(big, { maxBytes: 4 })).toMatch(/do not gunzip/);
  });

  it("round-trips an ack, and tells an ack from other replies", () => {
    const [reply] = decodeAllMsgpack(packMessage(ackMessage("c1"))) as unknown[];
    expect(ackedChunk(reply)).toBe("c1");
    expect(ackedChunk(["PONG", true])).toBeUndefined();
    expect(ackedChunk({ other: 1 })).toBeUndefined();
    expect(chunkToAck({ size: 1 })).toBeUndefined();
  });
});
