// The plain record views (the seed's StandardLogEntry / StandardTraceSpan shapes) generated from the
// contract: fixed examples, and on random valid records, view → message → view gives the view back.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { contractMessages, createMessage, mutatedInit } from "../helpers/contract-arbitraries.js";

const descOf = (typeName: string) => contractMessages.find((m) => m.typeName === typeName)!;

describe("StandardLogEntryView", () => {
  it("is the seed's shape: ISO timestamp with nanoseconds, level name, nested service, data as JSON values", () => {
    const entry = c.buildStandardLogEntry({
      timeUnixNano: 1_755_424_800_123_456_789n,
      level: c.logLevelValues.WARN,
      message: "slow",
      service: { name: "api-server", type: c.serviceTypeValues.API, environment: "production", machineId: "" },
      data: { port: { kind: { case: "intValue", value: 3001n } }, tags: c.valueFromPlain(["a", true])! },
    });
    expect(c.standardLogEntryToView(entry)).toEqual({
      timestamp: "2025-08-17T10:00:00.123456789Z",
      level: "warn",
      message: "slow",
      service: { name: "api-server", type: "api", environment: "production" },
      data: { port: 3001, tags: ["a", true] },
      contractVersion: c.CONTRACT_VERSION,
    });
  });

  it("reads a view back as the message, unknown level names as unspecified (which the validator rejects)", () => {
    const view: c.StandardLogEntryView = {
      timestamp: "2025-08-17T12:00:00.5+02:00",
      level: "info",
      message: "m",
      service: { name: "s", type: "worker", environment: "e" },
    };
    const m = c.standardLogEntryFromView(view);
    expect(m.timeUnixNano).toBe(1_755_424_800_500_000_000n);
    expect(m.contractVersion).toBe(c.CONTRACT_VERSION);
    expect(c.validateStandardLogEntry(m)).toEqual([]);
    const bad = c.standardLogEntryFromView({ ...view, level: "loud" as never, timestamp: "yesterday" });
    expect(
      c
        .validateStandardLogEntry(bad)
        .map((v) => v.path)
        .sort(),
    ).toEqual(["level", "time_unix_nano"]);
  });
});

/** One record type's view functions, callable on whatever `createMessage` made. */
interface ViewCase {
  readonly typeName: string;
  readonly toView: (m: never) => object;
  readonly fromView: (v: never) => unknown;
  readonly validate: (m: never) => readonly unknown[];
}

const cases: readonly ViewCase[] = [
  {
    typeName: "emp.telemetry.v1.StandardLogEntry",
    toView: c.standardLogEntryToView,
    fromView: c.standardLogEntryFromView,
    validate: c.validateStandardLogEntry,
  },
  {
    typeName: "emp.telemetry.v1.StandardTraceSpan",
    toView: c.standardTraceSpanToView,
    fromView: c.standardTraceSpanFromView,
    validate: c.validateStandardTraceSpan,
  },
];

describe("the views of random valid records", () => {
  for (const { typeName, toView, fromView, validate } of cases) {
    it(`${typeName}: view → message → view is the view (times in epoch milliseconds, a double: to within a microsecond)`, () => {
      const desc = descOf(typeName);
      fc.assert(
        fc.property(mutatedInit(desc), (init) => {
          const m = createMessage(desc, init) as never;
          fc.pre(validate(m).length === 0);
          const view = toView(m) as Record<string, unknown>;
          const again = toView(fromView(view as never) as never) as Record<string, unknown>;
          // Compared as JSON, the form a view takes in a file: -0 and 0 are one number there.
          const withoutTimes = (v: Record<string, unknown>): unknown => JSON.parse(JSON.stringify({ ...v, startTime: undefined, endTime: undefined }));
          expect(withoutTimes(again)).toEqual(withoutTimes(view));
          for (const key of ["startTime", "endTime"]) {
            if (view[key] === undefined) expect(again[key]).toBeUndefined();
            else expect(Math.abs((again[key] as number) - (view[key] as number))).toBeLessThan(1e-3);
          }
        }),
        { numRuns: 500 },
      );
    });
  }
});
