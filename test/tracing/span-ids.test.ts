// Span and trace ids: random lowercase hex, never all zeros, vouched for to the contract's validators.
import { describe, expect, it } from "vitest";
import { claimLowerHexVouching, isLowerHex } from "../../generated/emp/telemetry/v1/contract_support.js";
import { newSpanId, newTraceId } from "../../runtime/tracing/span-ids.js";

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
});
