import { describe, expect, it } from "vitest";
import { type AttributePairs, SeriesTable } from "../../runtime/metrics/series-table.js";

function table(maxSeries = 10): {
  t: SeriesTable<{ id: number; pairs: AttributePairs }>;
  admit: (a: object | undefined) => { id: number; pairs: AttributePairs } | undefined;
} {
  const t = new SeriesTable<{ id: number; pairs: AttributePairs }>(maxSeries);
  let next = 0;
  const overflow = { id: -1, pairs: [] };
  return {
    t,
    admit: (a) =>
      t.find(a) ??
      t.insert(
        a,
        (pairs) => ({ id: next++, pairs }),
        () => overflow,
      )?.series,
  };
}

describe("SeriesTable", () => {
  it("finds a seen attribute set on the fast path, in any key order after each order's first use", () => {
    const { t, admit } = table();
    const first = admit({ b: 2, a: "x" });
    expect(t.find({ b: 2, a: "x" })).toBe(first);
    expect(t.find({ a: "x", b: 2 })).toBeUndefined();
    expect(admit({ a: "x", b: 2 })).toBe(first);
    expect(t.find({ a: "x", b: 2 })).toBe(first);
    expect(t.size).toBe(1);
  });

  it("gives the normalized pairs, sorted by key, to the series it makes", () => {
    const { admit } = table();
    const s = admit({ z: 1, a: true, m: ["p", 2] })!;
    expect(s.pairs).toEqual([
      ["a", true],
      ["m", ["p", 2]],
      ["z", 1],
    ]);
  });

  it("shares one series for no attributes, an empty object and only undefined values", () => {
    const { t, admit } = table();
    const none = admit(undefined);
    expect(admit({})).toBe(none);
    expect(admit({ gone: undefined })).toBe(none);
    expect(t.size).toBe(1);
  });

  it("answers the overflow series past maxSeries and links it, so the next call is on the fast path", () => {
    const { t, admit } = table(2);
    admit({ u: 1 });
    admit({ u: 2 });
    expect(admit({ u: 3 })).toMatchObject({ id: -1 });
    expect(t.find({ u: 3 })).toMatchObject({ id: -1 });
    expect(t.size).toBe(2);
  });

  it("bounds its trie: past 4 × maxSeries + 64 nodes new paths are not linked but still resolve", () => {
    const { t, admit } = table(1);
    for (let i = 0; i < 200; i++) admit({ u: i });
    expect(t.find({ u: 199 })).toBeUndefined();
    expect(admit({ u: 199 })).toMatchObject({ id: -1 });
    expect(t.find({ u: 5 })).toMatchObject({ id: -1 });
  });

  it("refuses a set with an object, a function, a symbol or a bigint value", () => {
    const { t } = table();
    for (const v of [{ x: 1 }, () => 1, Symbol("s"), 1n, [{ x: 1 }]])
      expect(
        t.insert(
          { v },
          () => ({ id: 0, pairs: [] }),
          () => ({ id: -1, pairs: [] }),
        ),
      ).toBeUndefined();
    expect(t.size).toBe(0);
  });
});
