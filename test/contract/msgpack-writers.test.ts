// The generated msgpack writers write exactly the record the plain mappers build, for every record
// message, decoded by @msgpack/msgpack (an independent decoder).
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { decode } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";
import { contractMessages, createMessage, randomInit } from "../helpers/contract-arbitraries.js";

type Fn = (m: MessageShape<DescMessage>, w?: unknown) => unknown;
const fns = c as unknown as Record<string, Fn | undefined>;
const lower = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
const normal = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x)));
const records = contractMessages.filter((d) => fns[`${lower(d.name)}ToFluentRecord`] !== undefined);

describe("generated msgpack writers", () => {
  it.each(records.map((d) => [d.name, d] as const))(
    "write %s as its Fluentd record",
    (_name, desc) => {
      const write = fns[`write${desc.name}Msgpack`]!;
      const toRecord = fns[`${lower(desc.name)}ToFluentRecord`]!;
      fc.assert(
        fc.property(randomInit(desc, { longStrings: false }), (init) => {
          const m = createMessage(desc, init);
          const w = new MsgpackWriter();
          write(m, w);
          const decoded = decode(w.toBytes(), { useBigInt64: false });
          // -0 is written as the integer 0 (as JSON writes it); both sides go through the same normalisation.
          expect(normal(decoded)).toEqual(normal(toRecord(m)));
        }),
        { numRuns: 60, seed: 5 },
      );
    },
    60_000,
  );

  it("encode the service's fields once and reuse them for every record", () => {
    const service = c.buildServiceMetadata({ name: "api", type: c.ServiceType.API, environment: "t" });
    const w = new MsgpackWriter();
    const entry = (msg: string): c.StandardLogEntry => c.buildStandardLogEntry({ timeUnixNano: 1n, level: c.LogLevel.INFO, message: msg, service });
    c.writeStandardLogEntryMsgpack(entry("a"), w);
    const first = w.toBytes();
    w.reset();
    c.writeStandardLogEntryMsgpack(entry("b"), w);
    expect(decode(w.toBytes())).toMatchObject({ message: "b", "service.name": "api" });
    expect(decode(first)).toMatchObject({ message: "a", "service.name": "api" });
  });
});
