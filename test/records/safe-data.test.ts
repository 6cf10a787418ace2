// Free-form data from services becomes typed, valid contract values; every repair is counted.
import { decode } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createRepairCounts, totalRepairs } from "../../runtime/records/repair.js";
import { errorInfoFromUnknown } from "../../runtime/records/error-info.js";
import { safeData } from "../../runtime/records/safe-data.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";

const plain = (data: unknown): unknown => c.mapValueToPlain({ $typeName: "emp.telemetry.v1.MapValue", fields: safeData(data, createRepairCounts()) });

function entryWith(data: unknown): c.StandardLogEntry {
  return c.buildStandardLogEntry({
    timeUnixNano: 1n,
    level: c.LogLevel.INFO,
    message: "m",
    service: { name: "api", type: c.ServiceType.API, environment: "test" },
    data: safeData(data, createRepairCounts()),
  });
}

describe("safeData", () => {
  it("keeps plain values as typed values", () => {
    expect(plain({ s: "x", i: 3, d: 0.5, b: true, l: [1, "a"], m: { k: null } })).toEqual({ s: "x", i: 3, d: 0.5, b: true, l: [1, "a"], m: {} });
  });

  it("replaces cycles with a marker and counts them", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    const counts = createRepairCounts();
    const out = c.mapValueToPlain({ $typeName: "emp.telemetry.v1.MapValue", fields: safeData(a, counts) });
    expect(out).toEqual({ name: "a", self: "[circular]" });
    expect(counts.cycles).toBe(1);
  });

  it("takes own enumerable keys only, in Object.keys order, and so do the validator and the msgpack writer", () => {
    const proto = { inherited: "from the prototype" };
    const obj = Object.create(proto, { own: { value: 1, enumerable: true }, hidden: { value: 2, enumerable: false } }) as Record<string, unknown>;
    obj["2"] = "two";
    obj["1"] = "one";
    const counts = createRepairCounts();
    const data = safeData(obj, counts);
    expect(Object.keys(data)).toEqual(["1", "2", "own"]);
    const polluted = Object.create({ injected: "not a Value" }) as { [key: string]: c.Value };
    Object.assign(polluted, data);
    const entry = c.buildStandardLogEntry({
      timeUnixNano: 1n,
      level: c.logLevelValues.INFO,
      message: "m",
      service: c.buildServiceMetadata({ name: "api", type: 1, environment: "t" }),
      data: polluted,
    });
    expect(c.isValidStandardLogEntry(entry)).toBe(true);
    expect(c.validateStandardLogEntry(entry)).toEqual([]);
    const writer = new MsgpackWriter();
    c.writeStandardLogEntryMsgpack(entry, writer);
    const record = decode(writer.toBytes()) as Record<string, unknown>;
    expect(record).not.toHaveProperty("injected");
    expect(record).toMatchObject({ "1": "one", "2": "two", own: 1 });
  });

  it("stays right when a getter logs while data is being made safe (a nested call)", () => {
    const counts = createRepairCounts();
    const inner = { x: 1 };
    let nested: unknown;
    const outer = {
      get g() {
        nested = c.mapValueToPlain({ $typeName: "emp.telemetry.v1.MapValue", fields: safeData({ inner, again: inner }, counts) });
        return 2;
      },
      inner,
    };
    expect(c.mapValueToPlain({ $typeName: "emp.telemetry.v1.MapValue", fields: safeData(outer, counts) })).toEqual({ g: 2, inner: { x: 1 } });
    expect(nested).toEqual({ inner: { x: 1 }, again: { x: 1 } });
    expect(counts.cycles).toBe(0);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(plain(cyclic)).toEqual({ a: 1, self: "[circular]" });
  });

  it("renames keys that reach the prototype", () => {
    const counts = createRepairCounts();
    const data = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as object;
    const out = safeData(data, counts);
    expect(Object.keys(out).sort()).toEqual(["_constructor", "___proto__"].sort());
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(counts.renamedKeys).toBe(2);
  });

  it("truncates huge strings with a marker, within the contract's limit", () => {
    const counts = createRepairCounts();
    const out = safeData({ big: "x".repeat(100_000) }, counts);
    const s = out.big!.kind.value as string;
    expect(s.length).toBeLessThanOrEqual(32768);
    expect(s).toMatch(/…\[truncated \d+ chars\]$/);
    expect(counts.truncatedStrings).toBe(1);
  });

  it("makes strings with lone surrogates well-formed", () => {
    const counts = createRepairCounts();
    const out = safeData({ s: "a\uD800b" }, counts);
    expect(out.s!.kind.value).toBe("a\uFFFDb");
    expect(counts.invalidUtf16).toBe(1);
  });

  it("drops functions and symbols and counts them; keeps bigints as int64", () => {
    const counts = createRepairCounts();
    expect(c.mapValueToPlain({ $typeName: "emp.telemetry.v1.MapValue", fields: safeData({ f: () => 1, s: Symbol("x"), n: 2n ** 62n }, counts) })).toEqual({
      n: (2n ** 62n).toString(),
    });
    expect(counts.droppedValues).toBe(2);
  });

  it("drops symbol keys and counts them, at any depth; non-enumerable ones are not data", () => {
    const counts = createRepairCounts();
    const nested: Record<string | symbol, unknown> = { k: 1, [Symbol("inner")]: "x" };
    Object.defineProperty(nested, Symbol("hidden"), { value: 1, enumerable: false });
    const data = { a: 1, [Symbol("top")]: 2, [Symbol.iterator]: 3, nested };
    expect(c.mapValueToPlain({ $typeName: "emp.telemetry.v1.MapValue", fields: safeData(data, counts) })).toEqual({ a: 1, nested: { k: 1 } });
    expect(counts.droppedValues).toBe(3);
  });

  it("records Error objects with type, message, stack and causes", () => {
    const err = new TypeError("outer", { cause: new RangeError("inner") });
    const out = plain({ err }) as { err: Record<string, unknown> };
    expect(out.err["exception.type"]).toBe("TypeError");
    expect(out.err["exception.message"]).toBe("outer");
    expect(String(out.err["exception.stacktrace"])).toContain("TypeError: outer");
    expect(out.err["emp.exception.causes"]).toEqual([{ "exception.type": "RangeError", "exception.message": "inner" }]);
  });

  it("survives objects that throw while being read", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("no");
        },
      },
    );
    const getter = Object.defineProperty({}, "x", {
      enumerable: true,
      get: () => {
        throw new Error("no");
      },
    });
    expect(() => safeData({ hostile, getter }, createRepairCounts())).not.toThrow();
    expect(() => safeData(hostile, createRepairCounts())).not.toThrow();
  });

  it("never throws and always yields a valid log entry, whatever the data", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }),
        (data) => {
          const entry = entryWith(data);
          expect(c.validateStandardLogEntry(entry)).toEqual([]);
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });

  it("keeps within the contract's map and list sizes", () => {
    const counts = createRepairCounts();
    const big = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, Array.from({ length: 2000 }, () => 1)]));
    expect(c.validateStandardLogEntry(entryWith(big))).toEqual([]);
    safeData(big, counts);
    expect(counts.droppedValues).toBe(44 + 256 * 976);
    expect(totalRepairs(counts)).toBe(counts.droppedValues);
  });
});

describe("errorInfoFromUnknown", () => {
  it("walks the cause chain and an AggregateError's errors, stopping at cycles", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    const agg = new AggregateError([new Error("x"), new Error("y")], "many", { cause: b });
    const info = errorInfoFromUnknown(agg, createRepairCounts());
    expect(info.type).toBe("AggregateError");
    expect(info.causes.map((x) => x.message)).toEqual(["b", "x", "y", "a"]);
    expect(c.validateErrorInfo(info)).toEqual([]);
  });

  it("describes thrown non-errors", () => {
    const info = errorInfoFromUnknown("boom", createRepairCounts());
    expect(info).toMatchObject({ type: "string", message: "boom", causes: [] });
  });
});
