// Times as the contract carries them: nanoseconds since the Unix epoch, as bigints.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hrTimeToNanos, nowUnixNanos, readSplitTime } from "../../runtime/tracing/clock.js";
import { type SplitTime, splitNanos, splitTimeToNanos } from "../../runtime/wire/time-split.js";

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

  it("reads now split, the same clock as nowUnixNanos, with the nanoseconds within their second", () => {
    const split: SplitTime = { second: 0, nanos: 0 };
    for (let i = 0; i < 20_000; i++) {
      const before = nowUnixNanos();
      readSplitTime(split);
      const after = nowUnixNanos();
      expect(Number.isSafeInteger(split.second) && split.nanos >= 0 && split.nanos < 1_000_000_000 && Number.isInteger(split.nanos)).toBe(true);
      const t = splitTimeToNanos(split);
      if (!(before <= t && t <= after)) expect({ before, t, after }).toBe("in order");
    }
  });

  it("splits nanoseconds and joins them back", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n }), (t) => {
        const split = splitNanos(t);
        expect(split.nanos).toBeLessThan(1_000_000_000);
        expect(splitTimeToNanos(split)).toBe(t);
      }),
    );
  });
});
