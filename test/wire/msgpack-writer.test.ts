import { decode, ExtData } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nanosToIso } from "../../generated/emp/telemetry/v1/contract_support.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";

function roundTrip(value: unknown, useBigInt64 = true): unknown {
  const writer = new MsgpackWriter(16);
  writer.writeValue(value);
  return decode(writer.toBytes(), { useBigInt64 });
}

describe("MsgpackWriter", () => {
  it("encodes scalars so @msgpack/msgpack decodes them back", () => {
    for (const value of [
      null,
      true,
      false,
      0,
      1,
      127,
      128,
      255,
      256,
      65535,
      65536,
      2 ** 32 - 1,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      -1,
      -32,
      -33,
      -128,
      -129,
      -32768,
      -32769,
      -(2 ** 31),
      -(2 ** 31) - 1,
      Number.MIN_SAFE_INTEGER,
      0.5,
      -1.25,
      1e300,
      Infinity,
    ]) {
      const decoded = roundTrip(value);
      expect(typeof decoded === "bigint" ? Number(decoded) : decoded).toBe(value);
    }
    expect(roundTrip(Number.NaN)).toBeNaN();
  });

  it("uses the smallest integer format", () => {
    const sizes = [
      [0, 1],
      [127, 1],
      [-32, 1],
      [128, 2],
      [-33, 2],
      [256, 3],
      [65536, 5],
      [2 ** 32, 9],
    ] as const;
    for (const [value, bytes] of sizes) {
      const writer = new MsgpackWriter();
      writer.writeValue(value);
      expect(writer.length, String(value)).toBe(bytes);
    }
  });

  it("encodes strings of every length class as UTF-8 str", () => {
    for (const text of [
      "",
      "a",
      "x".repeat(31),
      "x".repeat(32),
      "é".repeat(20),
      "日本語🎉",
      "y".repeat(255),
      "z".repeat(256),
      "w".repeat(70000),
      "ü".repeat(40000),
    ]) {
      expect(roundTrip(text)).toBe(text);
    }
  });

  it("encodes bigint as 64-bit integers", () => {
    expect(roundTrip(-(2n ** 63n))).toBe(-(2n ** 63n));
    expect(roundTrip(2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
    expect(() => roundTrip(2n ** 64n)).toThrow(RangeError);
  });

  it("encodes bytes as bin, arrays, maps and nested records", () => {
    const record = { msg: "hi", n: 3, bin: Uint8Array.of(1, 2, 3), list: [1, "two", null, [true]], nested: { a: { b: 1.5 } }, skipped: undefined };
    const { skipped: _skipped, ...expected } = record;
    expect(roundTrip(record)).toEqual(expected);
    expect(roundTrip(new Map([["k", 1]]))).toEqual({ k: 1 });
    expect(roundTrip(new Uint8Array(70000))).toEqual(new Uint8Array(70000));
    expect(roundTrip(Array.from({ length: 20 }, (_, i) => i))).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("writes EventTime as ext type 0 with big-endian seconds and nanoseconds", () => {
    const writer = new MsgpackWriter();
    writer.writeEventTime(1700000000, 123456789);
    expect([...writer.view()]).toEqual([0xd7, 0x00, 0x65, 0x53, 0xf1, 0x00, 0x07, 0x5b, 0xcd, 0x15]);
  });

  it("writes an entry [EventTime, record]", () => {
    const writer = new MsgpackWriter();
    writer.writeEntry(1700000000, 999999999, { level: "info" });
    const [time, record] = decode(writer.toBytes()) as [ExtData, unknown];
    expect(time).toBeInstanceOf(ExtData);
    expect(time.type).toBe(0);
    expect([...(time.data as Uint8Array)]).toEqual([0x65, 0x53, 0xf1, 0x00, 0x3b, 0x9a, 0xc9, 0xff]);
    expect(record).toEqual({ level: "info" });
  });

  it("refuses an EventTime out of range", () => {
    const writer = new MsgpackWriter();
    expect(() => writer.writeEventTime(-1, 0)).toThrow(RangeError);
    expect(() => writer.writeEventTime(0, 1_000_000_000)).toThrow(RangeError);
  });

  it("refuses cycles and functions", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => new MsgpackWriter().writeValue(cyclic)).toThrow(RangeError);
    expect(() => new MsgpackWriter().writeValue({ f: () => 1 })).toThrow(TypeError);
  });

  it("reuses its buffer after reset", () => {
    const writer = new MsgpackWriter(16);
    writer.writeValue("x".repeat(1000));
    writer.reset();
    writer.writeValue(7);
    expect(writer.length).toBe(1);
    expect(decode(writer.view())).toBe(7);
  });

  it("round-trips any JSON value (property)", () => {
    // @msgpack/msgpack refuses to decode a `__proto__` key (prototype safety); that case is checked byte by byte below.
    const json = fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__"'));
    fc.assert(
      fc.property(json, (value) => {
        expect(roundTrip(value, false)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it("writes an own __proto__ key as a plain key", () => {
    const writer = new MsgpackWriter();
    writer.writeValue(JSON.parse('{"__proto__":1}'));
    expect(Buffer.from(writer.toBytes()).toString("hex")).toBe("81a95f5f70726f746f5f5f01");
  });

  it("writes times as the contract's ISO text and as EventTime, whatever order they come in", () => {
    const writer = new MsgpackWriter(8);
    const near = fc.bigInt({ min: 1_764_000_000_000_000_000n, max: 1_764_000_003_000_000_000n });
    const any = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const edges = fc.constantFrom(0n, 1n, 999_999_999n, 1_000_000_000n, 1_000_000_001n, 4_294_967_295_999_999_999n, 4_294_967_296_000_000_000n, 2n ** 64n - 1n);
    fc.assert(
      fc.property(fc.array(fc.oneof(near, near, any, edges), { minLength: 1, maxLength: 20 }), (times) => {
        for (const t of times) {
          writer.reset();
          writer.writeTimeIso(t);
          expect(decode(writer.toBytes())).toBe(nanosToIso(t));
          writer.reset();
          const seconds = t / 1_000_000_000n;
          if (seconds >= 2n ** 32n) {
            expect(() => writer.writeEntryTime(t)).toThrow(RangeError);
            continue;
          }
          writer.writeEntryTime(t);
          writer.writeNil();
          const [time] = decode(writer.toBytes()) as [ExtData];
          const bytes = time.data as Uint8Array;
          const view = new DataView(bytes.buffer, bytes.byteOffset);
          expect([view.getUint32(0), view.getUint32(4)]).toEqual([Number(seconds), Number(t % 1_000_000_000n)]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("hands out a copy of the bytes written and goes on from the start of its buffer", () => {
    const writer = new MsgpackWriter(4);
    writer.writeValue({ a: "x".repeat(100) });
    const first = writer.takeBytes();
    expect(writer.length).toBe(0);
    writer.writeValue([1, 2, 3]);
    writer.writeValue("y".repeat(1000));
    const second = writer.takeBytes();
    expect(decode(first)).toEqual({ a: "x".repeat(100) });
    expect(decode(second.subarray(0, 4))).toEqual([1, 2, 3]);
    expect(decode(first)).toEqual({ a: "x".repeat(100) }); // still intact after the writer went on
  });
});
