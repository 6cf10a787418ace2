// Span and trace ids: random lowercase hex, never all zeros, vouched for to the contract's validators.
import { describe, expect, it } from "vitest";
import { claimLowerHexVouching, isLowerHex } from "../../generated/emp/telemetry/v1/contract_support.js";
import { copyIdBytes, newSpanId, newTraceId } from "../../runtime/tracing/span-ids.js";

describe("span ids", () => {
  it("are 16 and 32 lowercase hex digits, distinct, and the generator holds the validators' vouching", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => (i % 2 === 0 ? newSpanId() : newTraceId()));
    for (const id of ids) expect(id).toMatch(id.length === 16 ? /^[0-9a-f]{16}$/ : /^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(claimLowerHexVouching()).toBeUndefined(); // claimed as span-ids loaded: no one else can vouch
    const span = newSpanId();
    const trace = newTraceId();
    expect([isLowerHex(span, 16), isLowerHex(trace, 32), isLowerHex(span, 32), isLowerHex(trace, 16)]).toEqual([true, true, false, false]);
  });

  it("copies the bytes of the last span id and trace id made, across refills of the random pool, and of no other id", () => {
    const out = new Uint8Array(40).fill(0xee);
    for (let i = 0; i < 600; i++) {
      const older = newSpanId();
      const span = newSpanId();
      const trace = newTraceId();
      expect(copyIdBytes(span, out, 3)).toBe(true);
      expect(copyIdBytes(trace, out, 11)).toBe(true);
      expect(Buffer.from(out.subarray(3, 11)).toString("hex")).toBe(span);
      expect(Buffer.from(out.subarray(11, 27)).toString("hex")).toBe(trace);
      expect(copyIdBytes(older, out, 0)).toBe(false);
      expect(copyIdBytes(`${trace.slice(0, 31)}x`, out, 0)).toBe(false);
    }
    expect([out[2], out[27]]).toEqual([0xee, 0xee]); // nothing written outside
  });
});
