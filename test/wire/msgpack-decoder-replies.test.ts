import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { ackedChunk } from "../../runtime/wire/forward/protocol.js";
import { asText, MsgpackExtValue, MsgpackStreamDecoder } from "../../runtime/wire/msgpack-decoder.js";

// The reader as the forward client and the probe use it: small replies (HELO, PONG, {ack}) from a socket.
describe("MsgpackStreamDecoder on a forward receiver's replies", () => {
  it("decodes values split across chunks", () => {
    const bytes = new Uint8Array([...encode({ ack: "abc" }), ...encode(["PONG", true, "", "host", "d"])]);
    const decoder = new MsgpackStreamDecoder(65536);
    const values: unknown[] = [];
    for (const byte of bytes) {
      decoder.push(Uint8Array.of(byte));
      for (let r = decoder.next(); r.kind === "value"; r = decoder.next()) values.push(r.value);
    }
    expect(values).toHaveLength(2);
    expect(ackedChunk(values[0])).toBe("abc");
    const pong = values[1] as unknown[];
    expect(pong[1]).toBe(true);
    expect(asText(pong[3])).toBe("host");
  });

  it("keeps str bytes that are not UTF-8 raw, decodes numbers and ext", () => {
    const decoder = new MsgpackStreamDecoder(65536);
    decoder.push(Uint8Array.of(0x93, 0xa2, 0xff, 0xfe, 0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xd7, 0x00, 0, 0, 0, 1, 0, 0, 0, 2));
    const r = decoder.next();
    expect(r.kind).toBe("value");
    const [raw, n, ext] = (r as { value: unknown[] }).value;
    expect([...(raw as Uint8Array)]).toEqual([0xff, 0xfe]);
    expect(n).toBe(-2);
    expect(ext).toBeInstanceOf(MsgpackExtValue);
    expect((ext as MsgpackExtValue).type).toBe(0);
  });

  it("reports a byte that is not msgpack as invalid", () => {
    const decoder = new MsgpackStreamDecoder(65536);
    decoder.push(Uint8Array.of(0xc1));
    expect(decoder.next().kind).toBe("invalid");
  });

  it("reports too many buffered bytes without a value as invalid", () => {
    const decoder = new MsgpackStreamDecoder(16);
    decoder.push(Uint8Array.of(0xdb, 0, 0, 1, 0, ...new Uint8Array(20)));
    expect(decoder.next().kind).toBe("invalid");
  });
});
