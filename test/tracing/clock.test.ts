// Times as the contract carries them: nanoseconds since the Unix epoch, as bigints.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hrTimeToNanos, nowUnixNanos } from "../../runtime/tracing/clock.js";

describe("clock", () => {
  it("turns OpenTelemetry HrTimes into nanoseconds, whatever order they come in", () => {
    const seconds = fc.oneof(fc.integer({ min: 1_764_000_000, max: 1_764_000_003 }), fc.nat({ max: 2 ** 33 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(seconds, fc.integer({ min: 0, max: 999_999_999 })), { minLength: 1, maxLength: 30 }), (times) => {
        for (const [s, ns] of times) expect(hrTimeToNanos([s, ns])).toBe(BigInt(s) * 1_000_000_000n + BigInt(ns));
      }),
      { numRuns: 200 },
    );
  });

  it("reads now in epoch nanoseconds, monotonic within the process", () => {
    const a = nowUnixNanos();
    const b = nowUnixNanos();
    expect(b >= a).toBe(true);
    expect(Math.abs(Number(a / 1_000_000n) - Date.now())).toBeLessThan(1000);
  });
});
