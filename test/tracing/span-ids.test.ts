// Span and trace ids: random lowercase hex, never all zeros, vouched for to the contract's validators.
import { describe, expect, it } from "vitest";
import { claimLowerHexVouching, isLowerHex } from "../../generated/emp/telemetry/v1/contract_support.js";
import { copyIdWords, newSpanId, newTraceId } from "../../runtime/tracing/span-ids.js";

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
    const out = new Uint32Array(10).fill(0xeeeeeeee);
    const bytes = Buffer.from(out.buffer);
    for (let i = 0; i < 600; i++) {
      const older = newSpanId();
      const span = newSpanId();
      const trace = newTraceId();
      expect(copyIdWords(span, out, 1)).toBe(true);
      expect(copyIdWords(trace, out, 3)).toBe(true);
      expect(bytes.toString("hex", 4, 12)).toBe(span);
      expect(bytes.toString("hex", 12, 28)).toBe(trace);
      expect(copyIdWords(older, out, 0)).toBe(false);
      expect(copyIdWords(`${trace.slice(0, 31)}x`, out, 0)).toBe(false);
    }
    expect([out[0], out[7], out[8], out[9]]).toEqual([0xeeeeeeee, 0xeeeeeeee, 0xeeeeeeee, 0xeeeeeeee]); // nothing written outside
  });
});
