// Our ProtoWriter against protobuf-es's BinaryWriter: the same calls give the same bytes.
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtoWriter, WireType } from "../../runtime/wire/proto-writer.js";

type Op =
  | { op: "string"; field: number; value: string }
  | { op: "bytes"; field: number; value: Uint8Array }
  | { op: "bool"; field: number; value: boolean }
  | { op: "int32"; field: number; value: number }
  | { op: "int64"; field: number; value: number | bigint }
  | { op: "double"; field: number; value: number }
  | { op: "fixed32"; field: number; value: number }
  | { op: "fixed64"; field: number; value: bigint }
  | { op: "message"; field: number; body: Op[] };

const field = fc.integer({ min: 1, max: 536_870_911 });
const scalar: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant("string" as const),
    field,
    value: fc.oneof(fc.string(), fc.string({ unit: "binary", maxLength: 300 }), fc.string({ minLength: 120, maxLength: 20_000 })),
  }),
  fc.record({ op: fc.constant("bytes" as const), field, value: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ op: fc.constant("bool" as const), field, value: fc.boolean() }),
  fc.record({ op: fc.constant("int32" as const), field, value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
  fc.record({ op: fc.constant("int64" as const), field, value: fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })) }),
  fc.record({ op: fc.constant("double" as const), field, value: fc.double() }),
  fc.record({ op: fc.constant("fixed32" as const), field, value: fc.nat({ max: 2 ** 32 - 1 }) }),
  fc.record({ op: fc.constant("fixed64" as const), field, value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
);
const { ops } = fc.letrec<{ ops: Op[]; op: Op }>((tie) => ({
  op: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.record({ op: fc.constant("message" as const), field, body: tie("ops") as fc.Arbitrary<Op[]> }),
  ),
  ops: fc.array(tie("op") as fc.Arbitrary<Op>, { maxLength: 8 }),
}));

/** Replays `ops` on a writer; protobuf-es's BinaryWriter is passed as one (same method names and arguments). */
function replay(w: ProtoWriter, list: readonly Op[]): void {
  for (const o of list) {
    switch (o.op) {
      case "string":
        w.tag(o.field, WireType.LengthDelimited).string(o.value);
        break;
      case "bytes":
        w.tag(o.field, WireType.LengthDelimited).bytes(o.value);
        break;
      case "bool":
        w.tag(o.field, WireType.Varint).bool(o.value);
        break;
      case "int32":
        w.tag(o.field, WireType.Varint).int32(o.value);
        break;
      case "int64":
        w.tag(o.field, WireType.Varint).int64(o.value);
        break;
      case "double":
        w.tag(o.field, WireType.Bit64).double(o.value);
        break;
      case "fixed32":
        w.tag(o.field, WireType.Bit32).fixed32(o.value);
        break;
      case "fixed64":
        w.tag(o.field, WireType.Bit64).fixed64(o.value);
        break;
      case "message":
        w.tag(o.field, WireType.LengthDelimited).fork();
        replay(w, o.body);
        w.join();
        break;
    }
  }
}

describe("ProtoWriter", () => {
  it("writes the same bytes as protobuf-es's BinaryWriter for any sequence of fields and nested messages", () => {
    fc.assert(
      fc.property(ops, (list) => {
        const ours = new ProtoWriter(16);
        const theirs = new BinaryWriter();
        replay(ours, list);
        replay(theirs as unknown as ProtoWriter, list);
        expect(Buffer.from(ours.finish()).toString("hex")).toBe(Buffer.from(theirs.finish()).toString("hex"));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it("puts lengths of every size in front of sub-messages", () => {
    for (const size of [0, 1, 127, 128, 16_383, 16_384, 2_097_152]) {
      const ours = new ProtoWriter(8).tag(1, WireType.LengthDelimited).fork().tag(2, WireType.LengthDelimited).bytes(new Uint8Array(size).fill(7)).join();
      const theirs = new BinaryWriter().tag(1, WireType.LengthDelimited).fork().tag(2, WireType.LengthDelimited).bytes(new Uint8Array(size).fill(7)).join();
      expect(Buffer.from(ours.finish()).equals(Buffer.from(theirs.finish())), String(size)).toBe(true);
    }
  });

  it("refuses a join without a fork", () => {
    expect(() => new ProtoWriter().join()).toThrow(RangeError);
  });
});
