/** The forward input's msgpack framer: value boundaries in a byte stream split anywhere. */
import { encode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { countMsgpackRecords, forwardModeEntryCount, MsgpackFramer } from "../../runtime/collector/msgpack-framer.js";

const values: unknown[] = [
  0,
  -1,
  -200,
  70_000,
  2 ** 40,
  -(2 ** 40),
  1.5,
  null,
  true,
  "",
  "short",
  "x".repeat(300),
  "y".repeat(70_000),
  new Uint8Array(10),
  new Uint8Array(300),
  new Uint8Array(70_000),
  [],
  [1, [2, [3, []]], {}],
  Array.from({ length: 20 }, (_, i) => i),
  Array.from({ length: 70_000 }, () => 1),
  { a: 1, b: { c: [1, 2, { d: "e" }] } },
  Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
  new ExtData(0, new Uint8Array(8)),
  new ExtData(1, new Uint8Array(1)),
  new ExtData(2, new Uint8Array(3)),
  new ExtData(3, new Uint8Array(300)),
  ["tag", [[1, { m: 1 }]], { chunk: "c" }],
];

/** Feeds `stream` in pieces of `size` bytes; returns the offsets where values end. */
function boundaries(stream: Uint8Array, size: number): number[] {
  const framer = new MsgpackFramer();
  const out: number[] = [];
  for (let base = 0; base < stream.length; base += size) {
    const chunk = stream.subarray(base, base + size);
    let from = 0;
    for (;;) {
      const step = framer.feed(chunk, from);
      if (step.kind !== "complete") {
        expect(step.kind).toBe("incomplete");
        break;
      }
      out.push(base + step.end);
      from = step.end;
    }
  }
  return out;
}

describe("MsgpackFramer", () => {
  const encoded = values.map((v) => encode(v));
  const stream = Buffer.concat(encoded);
  let end = 0;
  const expected = encoded.map((e) => (end += e.length));

  for (const size of [1, 3, 7, 64, 1000, 65_536, stream.length]) {
    it(`finds every value's end with the stream split every ${size} bytes`, () => {
      expect(boundaries(stream, size)).toEqual(expected);
    });
  }

  it("says invalid for the never-used type byte 0xc1", () => {
    expect(new MsgpackFramer().feed(Uint8Array.of(0x91, 0xc1))).toEqual({ kind: "invalid", reason: "msgpack type byte 0xc1" });
  });
});

describe("counting records before decoding", () => {
  it("counts a body's array items or its top-level values, stopping past the limit", () => {
    expect(countMsgpackRecords(encode([{}, {}, {}]), 10)).toBe(3);
    expect(countMsgpackRecords(Buffer.concat([encode({ a: 1 }), encode({ b: 2 })]), 10)).toBe(2);
    expect(countMsgpackRecords(encode(Array(70_000).fill({})), 10)).toBe(11);
    expect(countMsgpackRecords(Buffer.concat(Array(50).fill(encode({}))), 10)).toBe(11);
  });

  it("reads a Forward-mode message's entry count from its header, undefined for other modes", () => {
    expect(forwardModeEntryCount(encode(["tag", Array(300).fill([1, {}]), { chunk: "c" }]))).toBe(300);
    expect(forwardModeEntryCount(encode(["t".repeat(40), [[1, {}]]]))).toBe(1);
    expect(forwardModeEntryCount(encode(["tag", 1, {}]))).toBeUndefined();
    expect(forwardModeEntryCount(encode(["tag", new Uint8Array(4)]))).toBeUndefined();
  });
});
