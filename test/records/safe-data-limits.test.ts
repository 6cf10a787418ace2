// The limits safeData enforces before walking, the budget of one call, the size it tallies, and the
// strings it copies out of their originals.
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { copiedPrefix } from "../../runtime/records/flat-copy.js";
import { messageText } from "../../runtime/records/message-text.js";
import { createRepairCounts } from "../../runtime/records/repair.js";
import { type DataBudget, safeData } from "../../runtime/records/safe-data.js";
import { safeString } from "../../runtime/records/safe-string.js";
import { valueMapBytes } from "../../runtime/records/value-size.js";

const budget = (maxValues = Number.POSITIVE_INFINITY, maxBytes = Number.POSITIVE_INFINITY): DataBudget => ({ maxValues, maxBytes, bytes: 0 });
const listLength = (v: c.Value | undefined): number => (v?.kind.case === "listValue" ? v.kind.value.values.length : -1);

describe("safeData's limits, enforced before walking", () => {
  it("reads the first 1024 items of a sparse array of length 2³²−1 and counts the rest as dropped", () => {
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 1;
    sparse[3] = "x";
    const counts = createRepairCounts();
    const out = safeData({ sparse }, counts);
    expect(out.sparse?.kind.value).toMatchObject({ values: [{ kind: { case: "stringValue", value: "x" } }] });
    expect(counts.droppedValues).toBe(2 ** 32 - 1 - 1024);
  });

  it("keeps 1024 items of a Buffer, a typed array, a Set and a Map's 256 entries; counts the rest", () => {
    const counts = createRepairCounts();
    const out = safeData(
      {
        buf: Buffer.alloc(5000, 1),
        f: new Float64Array(2000),
        set: new Set(Array.from({ length: 3000 }, (_, i) => i)),
        view: new DataView(new ArrayBuffer(8)),
      },
      counts,
    );
    expect([listLength(out.buf), listLength(out.f), listLength(out.set), listLength(out.view)]).toEqual([1024, 1024, 1024, 0]);
    const map = safeData(new Map(Array.from({ length: 1000 }, (_, i) => [i, i])), counts);
    expect(Object.keys(map)).toHaveLength(256);
    expect(counts.droppedValues).toBe(5000 - 1024 + 2000 - 1024 + 3000 - 1024 + 1000 - 256);
  });

  it("builds at most budget.maxValues values in all, however the data shares its lists", () => {
    const inner = Array.from({ length: 1024 }, () => 1);
    const middle = Array.from({ length: 1024 }, () => inner);
    const counts = createRepairCounts();
    const b = budget(5000);
    const out = safeData({ bomb: Array.from({ length: 1024 }, () => middle) }, counts, b);
    const entry = c.buildStandardLogEntry({
      timeUnixNano: 1n,
      level: c.LogLevel.INFO,
      message: "m",
      service: { name: "a", type: 1, environment: "t" },
      data: out,
    });
    expect(c.validateStandardLogEntry(entry)).toEqual([]);
    expect(counts.droppedValues).toBeGreaterThan(0);
    expect(b.bytes).toBeLessThan(5000 * 300);
  });

  it("stops building once budget.maxBytes is passed", () => {
    const counts = createRepairCounts();
    const b = budget(Number.POSITIVE_INFINITY, 100_000);
    const out = safeData(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${String(i)}`, "x".repeat(10_000 + i)])), counts, b);
    expect(Object.keys(out).length).toBeLessThan(10);
    expect(b.bytes).toBeLessThan(100_000 + 21_000);
    expect(counts.droppedValues).toBe(100 - Object.keys(out).length);
  });
});

describe("the size safeData tallies", () => {
  it("equals a walk of the values it built (no shared values)", () => {
    const uniq = (n: number): string => `${String(Math.random())}${"z".repeat(n)}`;
    const data = { a: uniq(100), n: 123_456_789, d: 0.25, big: 2n ** 40n, l: [uniq(70), 1e9, { m: uniq(80) }], when: new Date(0), e: new TypeError("t") };
    const b = budget();
    const out = safeData(data, createRepairCounts(), b);
    expect(b.bytes).toBe(valueMapBytes(out));
    expect(b.bytes).toBeGreaterThan(2 * (100 + 70 + 80));
  });

  it("counts 2 bytes a unit of long strings, and the truncated copy, not the original", () => {
    const b = budget();
    safeData({ s: "y".repeat(1_000_000) }, createRepairCounts(), b);
    expect(b.bytes).toBeGreaterThan(2 * 32_000);
    expect(b.bytes).toBeLessThan(2 * 32_768 + 500);
  });
});

describe("copied strings", () => {
  it("truncates without splitting a surrogate pair, counting no lone surrogate", () => {
    const counts = createRepairCounts();
    const s = `${"a".repeat(32768 - 41)}😀${"b".repeat(100)}`;
    const out = safeString(s, counts);
    expect(out.isWellFormed()).toBe(true);
    expect(out.startsWith("a".repeat(32768 - 41))).toBe(true);
    expect(out).toMatch(/…\[truncated 102 chars\]$/);
    expect(counts).toMatchObject({ truncatedStrings: 1, invalidUtf16: 0 });
  });

  it("counts a lone surrogate in the kept part, and not one in the cut part", () => {
    const counts = createRepairCounts();
    safeString(`\uD800${"a".repeat(40_000)}`, counts);
    safeString(`${"a".repeat(40_000)}\uD800`, counts);
    expect(counts).toMatchObject({ truncatedStrings: 2, invalidUtf16: 1 });
  });

  it("copiedPrefix keeps the first units", () => {
    expect(copiedPrefix("abcdef", 3)).toBe("abc");
    expect(copiedPrefix("abcdef", 1)).toBe("a");
    expect(copiedPrefix("k".repeat(1000), 256)).toBe("k".repeat(256));
  });
});

describe("messageText", () => {
  it("turns anything into text without throwing, in bounded work", () => {
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 1;
    sparse[0] = "first";
    expect(messageText("m")).toBe("m");
    expect(messageText(new Error("boom"))).toBe("boom");
    expect(messageText([1, "a", null, { x: 1 }])).toBe("1,a,,[object]");
    expect(messageText(sparse)).toBe(`first${",".repeat(63)},…`);
    expect(messageText(42)).toBe("42");
    expect(
      messageText({
        toString: () => {
          throw new Error("no");
        },
      }),
    ).toBe("(unprintable message)");
  });
});
