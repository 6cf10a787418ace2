import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimLowerHexVouching, isLowerHex } from "../../generated/emp/telemetry/v1/contract_support.js";

/** Code units that look like hex digits once cut to 7 or 8 bits, and neighbours of the ranges. */
const tricky = ["/", ":", "`", "g", "A", "F", "\u00b0", "\u00e1", "\u0130", "\u0161", "\u0661", "\uff10", "\uff41", "\ud83d", "\u0000"];

describe("isLowerHex", () => {
  it("agrees with ^[0-9a-f]{n}$ on 15 to 17 code units, mostly hex digits, any code unit mixed in", () => {
    let matched = 0;
    const char = fc.oneof(
      { arbitrary: fc.constantFrom(..."0123456789abcdef"), weight: 60 },
      { arbitrary: fc.constantFrom(...tricky), weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(char, { minLength: 15, maxLength: 17 }), fc.constantFrom(16), (chars, n) => {
        const value = chars.join("");
        if (new RegExp(`^[0-9a-f]{${n}}$`).test(value)) matched++;
        expect(isLowerHex(value, n)).toBe(new RegExp(`^[0-9a-f]{${n}}$`).test(value));
      }),
      { numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(300); // both answers were asked for
  });

  it("takes every lowercase hex id and refuses one odd character anywhere", () => {
    const id = "0123456789abcdef0123456789abcdef";
    expect(isLowerHex(id, 32)).toBe(true);
    for (let i = 0; i < 32; i++) for (const odd of tricky) expect(isLowerHex(id.slice(0, i) + odd + id.slice(i + 1), 32)).toBe(false);
  });

  it("takes the last vouched id of each length whole, checks every other value, and gives the vouching function once", () => {
    const vouch = claimLowerHexVouching(); // nothing in this file claimed it before (the span id generator does, as it loads)
    expect(vouch).toBeTypeOf("function");
    expect(claimLowerHexVouching()).toBeUndefined();
    const trusted = "G".repeat(32); // not hex: taken whole only because its maker vouched for it
    vouch!(trusted);
    vouch!("0123456789abcdef");
    expect(isLowerHex(trusted, 32)).toBe(true);
    expect(isLowerHex(trusted, 16)).toBe(false);
    expect(isLowerHex("0123456789abcdef", 16)).toBe(true);
    expect(isLowerHex("G".repeat(16), 16)).toBe(false);
    expect(isLowerHex("g123456789abcdef0123456789abcdef", 32)).toBe(false);
    vouch!("0".repeat(32)); // the last of each length only
    expect(isLowerHex(trusted, 32)).toBe(false);
  });
});
