import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { nanosToIso } from "../../generated/emp/telemetry/v1/contract_support.js";
import { isoOfEventTime, isoOfNanos, writeNineDigits } from "../../runtime/wire/iso-time.js";

describe("iso-time", () => {
  it("writes the contract's nanosToIso text, before 1970 too", () => {
    const edges = fc.constantFrom(-1n, -999_999_999n, -1_000_000_000n, -1_000_000_001n, 0n, 1n, 999_999_999n, 4_294_967_296_000_000_000n);
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }), edges), (nanos) => {
        expect(isoOfNanos(nanos)).toBe(nanosToIso(nanos));
      }),
    );
  });

  it("formats a time in the second before 1970-01-01T00:00:00 on the first call too (the cache starts empty)", async () => {
    vi.resetModules();
    const fresh = await import("../../generated/emp/telemetry/v1/contract_support.js");
    expect(fresh.nanosToIso(-1_000_000_001n)).toBe(isoOfNanos(-1_000_000_001n));
    expect(fresh.nanosToIso(-1_000_000_001n)).toMatch(/^1969-12-31T23:59:59\.\d{9}Z$/);
  });

  it("writes an EventTime with nine fractional digits", () => {
    expect(isoOfEventTime(1_700_000_000, 123_456_789)).toBe("2023-11-14T22:13:20.123456789Z");
    expect(isoOfEventTime(0, 7)).toBe("1970-01-01T00:00:00.000000007Z");
  });

  it("writes nine digits into a buffer", () => {
    const b = new Uint8Array(11);
    writeNineDigits(b, 1, 12_345);
    expect(Buffer.from(b.subarray(1, 10)).toString("latin1")).toBe("000012345");
    expect(b[0]).toBe(0);
    expect(b[10]).toBe(0);
  });
});
