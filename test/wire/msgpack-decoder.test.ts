/** The collector's streaming msgpack decoder, checked against @msgpack/msgpack's encoder. */
import { encode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { eventTimeOf } from "../../runtime/wire/forward/protocol.js";
import { decodeAllMsgpack, MsgpackStreamDecoder } from "../../runtime/wire/msgpack-decoder.js";

describe("MsgpackStreamDecoder", () => {
  it("decodes every type @msgpack/msgpack encodes, str as text and bin as bytes", () => {
    const value = { s: "héllo", b: Uint8Array.of(1, 2), n: -5, big: 2n ** 60n, f: 1.5, t: true, z: null, list: [1, "x"], m: { k: "v" } };
    const [decoded] = decodeAllMsgpack(encode(value, { useBigInt64: true })) as [Record<string, unknown>];
    expect(decoded).toEqual({ ...value, b: Uint8Array.of(1, 2) });
  });

  it("waits for the rest of a value split across chunks", () => {
    const bytes = encode(["tag", [[1, { message: "x".repeat(300) }]]]);
    const decoder = new MsgpackStreamDecoder(1 << 20);
    decoder.push(bytes.subarray(0, 100));
    expect(decoder.next().kind).toBe("incomplete");
    decoder.push(bytes.subarray(100));
    expect(decoder.next()).toEqual({ kind: "value", value: ["tag", [[1, { message: "x".repeat(300) }]]] });
    expect(decoder.next().kind).toBe("incomplete");
  });

  it("reports bytes that are not msgpack and values larger than its bound", () => {
    const bad = new MsgpackStreamDecoder(1024);
    bad.push(Uint8Array.of(0xc1));
    expect(bad.next()).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/0xc1/) });
    const big = new MsgpackStreamDecoder(16);
    big.push(encode("y".repeat(100)).subarray(0, 40));
    expect(big.next()).toMatchObject({ kind: "invalid", reason: expect.stringMatching(/larger than 16 bytes/) });
  });

  it("keeps record keys named __proto__ as own keys", () => {
    const [decoded] = decodeAllMsgpack(Uint8Array.from([0x81, 0xa9, ...Buffer.from("__proto__"), 0x01])) as [Record<string, unknown>];
    expect(Object.keys(decoded)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it("reads an EventTime ext as seconds and nanoseconds", () => {
    const [decoded] = decodeAllMsgpack(encode(new ExtData(0, Uint8Array.of(0x65, 0x53, 0xf1, 0x00, 0, 0, 0, 7)))) as [unknown];
    expect(eventTimeOf(decoded)).toEqual([0x6553f100, 7]);
  });
});
