// Generated builders: typed init in, the same message protobuf-es's create() builds out, defaults filled.
import { create, type DescMessage, type MessageShape, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as c from "../../generated/index.js";
import { contractMessages, randomInit } from "../helpers/contract-arbitraries.js";
import { runCommand } from "../helpers/run-command.js";

type Build = (init: Record<string, unknown>) => MessageShape<DescMessage>;
const builders = c as unknown as Record<string, Build | undefined>;

describe("generated builders", () => {
  it.each(contractMessages.map((d) => [d.name, d] as const))(
    "build the same %s as protobuf-es create()",
    (_name, desc) => {
      const build = builders[`build${desc.name}`];
      expect(build).toBeTypeOf("function");
      fc.assert(
        fc.property(randomInit(desc, { longStrings: false }), (init) => {
          const expected = create(desc, init as never);
          if (desc.fields.some((f) => f.name === "contract_version") && init.contractVersion === undefined) {
            (expected as unknown as { contractVersion: string }).contractVersion = c.CONTRACT_VERSION;
          }
          const built = build!(init);
          // NaN doubles make equals() false on both sides alike, so compare the structure and the bytes.
          expect(built).toEqual(expected);
          expect(toBinary(desc, built)).toEqual(toBinary(desc, expected));
        }),
        { numRuns: 100, seed: 11 },
      );
    },
    60_000,
  );

  it("fill the contract version", () => {
    expect(c.buildStandardLogEntry({}).contractVersion).toBe(c.CONTRACT_VERSION);
    expect(c.buildStandardTraceSpan({}).contractVersion).toBe(c.CONTRACT_VERSION);
  });

  it("return a message passed in as is", () => {
    const m = c.buildServiceMetadata({ name: "api" });
    expect(c.buildServiceMetadata(m)).toBe(m);
  });

  it("take a map or list of built messages as is, and build a new one when any item is an init", () => {
    const built = { a: c.buildValue({ kind: { case: "stringValue", value: "x" } }) };
    expect(c.buildStandardLogEntry({ data: built }).data).toBe(built);
    const mixed = { a: built.a, b: { kind: { case: "boolValue" as const, value: true } } };
    const entry = c.buildStandardLogEntry({ data: mixed });
    expect(entry.data).not.toBe(mixed);
    expect(entry.data.a).toBe(built.a);
    expect(entry.data.b).toEqual(c.buildValue({ kind: { case: "boolValue", value: true } }));
    const events = [c.buildSpanEvent({ name: "e" })];
    expect(c.buildStandardTraceSpan({ events }).events).toBe(events);
    const initEvents = [{ name: "e" }];
    expect(c.buildStandardTraceSpan({ events: initEvents }).events).not.toBe(initEvents);
    expect(c.buildStandardTraceSpan({ events: initEvents }).events[0]!.$typeName).toBe("emp.telemetry.v1.SpanEvent");
  });

  it("do not alias the caller's arrays and maps", () => {
    const causes = [{ type: "E" }];
    const built = c.buildErrorInfo({ type: "T", causes });
    causes.push({ type: "F" });
    expect(built.causes).toHaveLength(1);
  });

  it("take typed init shapes", () => {
    expectTypeOf(c.buildServiceMetadata).parameter(0).toHaveProperty("name").toEqualTypeOf<string | undefined>();
    expectTypeOf(c.buildStandardLogEntry).parameter(0).toHaveProperty("timeUnixNano").toEqualTypeOf<bigint | undefined>();
    expectTypeOf(c.buildStandardLogEntry).returns.toEqualTypeOf<c.StandardLogEntry>();
  });

  it("refuse wrong types at compile time (tsc on a fixture that must not compile)", () => {
    const fixture = "test/fixtures/type-errors/builders.must-not-compile.ts";
    const r = runCommand(
      "tsc",
      ["--ignoreConfig", "--noEmit", "--strict", "--module", "nodenext", "--target", "es2022", "--skipLibCheck", "--types", "node", fixture],
      {
        timeoutMs: 120_000,
      },
    );
    expect(r.status).not.toBe(0);
    const errorLines = [...r.stdout.matchAll(/builders\.must-not-compile\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1]));
    expect([...new Set(errorLines)]).toEqual([4, 5, 6, 7, 8]);
  }, 120_000);
});
