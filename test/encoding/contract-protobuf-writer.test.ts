// The spool's writer of the contract's protobuf (no protobuf-es loaded to write a record) against
// protobuf-es's own `toBinary` as the oracle: the same bytes for random messages (mostly invalid:
// negative enums, NaN, empty and long strings, nested values three deep), and the lazy spool codec
// reads them back with protobuf-es once its module has loaded.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type StandardLogEntry, StandardLogEntrySchema } from "../../generated/emp/telemetry/v1/log_pb.js";
import { type StandardTraceSpan, StandardTraceSpanSchema } from "../../generated/emp/telemetry/v1/span_pb.js";
import { lazySpoolCodec } from "../../runtime/client/lazy-spool-codec.js";
import { standardLogEntryToBinary, standardTraceSpanToBinary } from "../../runtime/encoding/contract-protobuf-writer.js";
import { createMessage, randomInit } from "../helpers/contract-arbitraries.js";

const entries = randomInit(StandardLogEntrySchema, { longStrings: false }).map((init) => createMessage(StandardLogEntrySchema, init) as StandardLogEntry);
const spans = randomInit(StandardTraceSpanSchema, { longStrings: false }).map((init) => createMessage(StandardTraceSpanSchema, init) as StandardTraceSpan);

describe("the contract's protobuf writer", () => {
  it("writes a log entry byte for byte as protobuf-es's toBinary does", () => {
    fc.assert(
      fc.property(entries, (m) => {
        expect(Buffer.from(standardLogEntryToBinary(m)).toString("hex")).toBe(Buffer.from(toBinary(StandardLogEntrySchema, m)).toString("hex"));
      }),
      { numRuns: 400 },
    );
  });

  it("writes a span byte for byte as protobuf-es's toBinary does", () => {
    fc.assert(
      fc.property(spans, (m) => {
        expect(Buffer.from(standardTraceSpanToBinary(m)).toString("hex")).toBe(Buffer.from(toBinary(StandardTraceSpanSchema, m)).toString("hex"));
      }),
      { numRuns: 400 },
    );
  });

  it("gives each record its own buffer, exactly as long as its encoding", () => {
    const m = createMessage(StandardLogEntrySchema, { message: "hello", level: 2 }) as StandardLogEntry;
    const bytes = standardLogEntryToBinary(m);
    expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
  });
});

describe("the lazy spool codec", () => {
  it("reads back, once ready, what it wrote", async () => {
    const codec = lazySpoolCodec(standardTraceSpanToBinary, (m) => m.spanFromBinary);
    await codec.ready;
    fc.assert(
      fc.property(spans, (m) => {
        expect(codec.deserialize(codec.serialize(m))).toEqual(fromBinary(StandardTraceSpanSchema, toBinary(StandardTraceSpanSchema, m)));
      }),
      { numRuns: 100 },
    );
  });
});
