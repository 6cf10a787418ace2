// The direct route's bytes against the general path's: for flat data, the entry written straight from
// the call's data is byte for byte the entry safeData + the generated builder + the generated writer
// make; anything else is refused (undefined, nothing kept) so that the general path repairs and counts.
import { decodeMulti } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createFluentCompactLog, type FluentCompactLog, type WrittenForwardEntry } from "../../runtime/encoding/fluent-compact-log.js";
import { type ChunkedForwardEntry, isChunkedForwardEntry } from "../../runtime/encoding/forward-chunks.js";
import { Redaction } from "../../runtime/records/redaction.js";
import { createRepairCounts, totalRepairs } from "../../runtime/records/repair.js";
import { safeData } from "../../runtime/records/safe-data.js";
import { splitNanos } from "../../runtime/wire/time-split.js";
import type { ForwardBatch } from "../../runtime/transports/forward/forward-transport.js";
import { throwingProxy } from "../helpers/hostile-values.js";

const service = c.buildServiceMetadata({ name: "api-server", type: c.serviceTypeValues.API, environment: "test", version: "1.2.3", instanceId: "i-1" });
const trace = c.buildTraceContext({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 });
const maxBytes = 1024 * 1024;

/** The entry the direct route writes from: complete but for its data. */
function shell(timeUnixNano: bigint, withTrace: boolean): c.StandardLogEntry {
  return c.buildStandardLogEntry({ timeUnixNano, level: c.logLevelValues.WARN, message: "saved", service, trace: withTrace ? trace : undefined, data: {} });
}

/** The direct route's write of an entry at `time`: its shell holds the time's whole second, as `LogWriter`'s does. */
function direct(
  log: FluentCompactLog,
  time: bigint,
  withTrace: boolean,
  data: object | undefined,
  redaction: Redaction,
  max: number,
  flowing: boolean,
): WrittenForwardEntry | undefined {
  return log.direct(shell(time - (time % 1_000_000_000n), withTrace), data, redaction, max, flowing, splitNanos(time));
}

/** What the general path makes of `data`: its compact form, and the repairs it counted. */
function general(data: object, time: bigint, withTrace: boolean, redaction: Redaction): { entry: c.StandardLogEntry; compact: string; repairs: number } {
  const counts = createRepairCounts();
  const entry = { ...shell(time, withTrace), data: safeData(data, counts, undefined, redaction) };
  expect(c.isValidStandardLogEntry(entry)).toBe(true);
  return { entry, compact: createFluentCompactLog("app.api").compact(entry), repairs: totalRepairs(counts) + redaction.count };
}

const reserved = ["message", "level", "timestamp", "trace_id", "service.name", "emp.contract.version"];
const flatValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 60, -0, 0.5, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
);
const flatKey = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(...reserved, "0", "17", "route", "emp.job.id"));
const flatData = fc.dictionary(flatKey, flatValue, { maxKeys: 40 });

describe("the direct route's entries", () => {
  it("are byte for byte the general path's for flat data, in both written forms, with or without a trace", () => {
    fc.assert(
      fc.property(flatData, fc.bigInt({ min: 1n, max: 4_000_000_000n * 1_000_000_000n }), fc.boolean(), (data, time, withTrace) => {
        const redaction = new Redaction();
        const expected = general(data, time, withTrace, redaction);
        // Flat data the general path has nothing to repair in (keys here reach no prototype, none redacted).
        fc.pre(expected.repairs === 0);
        const log = createFluentCompactLog("app.api");
        const compact = direct(log, time, withTrace, data, new Redaction(), maxBytes, false);
        expect(compact).toBe(expected.compact);
        const chunked = direct(log, time, withTrace, data, new Redaction(), maxBytes, true);
        expect(chunked).toBeDefined();
        const batch = log.encode([chunked!]);
        expect(Buffer.from(bytesOf(batch)).toString("latin1")).toBe(
          Buffer.from(createFluentCompactLog("app.api").encode([expected.entry]).body).toString("latin1"),
        );
      }),
      { numRuns: 400 },
    );
  });

  it("are byte for byte the general path's when messages, levels, services and versions repeat and change (remembered tails)", () => {
    const other = c.buildServiceMetadata({ name: "webhook", type: c.serviceTypeValues.WEBHOOK, environment: "test" });
    const call = fc.record({
      message: fc.constantFrom("saved", "started", "stopped", "ü ünicode"),
      level: fc.constantFrom(c.logLevelValues.INFO, c.logLevelValues.WARN, c.logLevelValues.ERROR),
      other: fc.boolean(),
      withTrace: fc.boolean(),
      version: fc.constantFrom(undefined, "1.2.0"),
      data: flatData,
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 30 }), (calls) => {
        const log = createFluentCompactLog("app.api");
        const general = createFluentCompactLog("app.api");
        calls.forEach((k, i) => {
          const counts = createRepairCounts();
          const data = safeData(k.data, counts, undefined, new Redaction());
          fc.pre(totalRepairs(counts) === 0);
          const entry = c.buildStandardLogEntry({
            timeUnixNano: BigInt(1_700_000_000_000_000_000 + i * 1_000_003),
            level: k.level,
            message: k.message,
            service: k.other ? other : service,
            trace: k.withTrace ? trace : undefined,
            data: {},
            ...(k.version === undefined ? {} : { contractVersion: k.version }),
          });
          const written = log.direct(entry, k.data, new Redaction(), maxBytes, true, splitNanos(entry.timeUnixNano));
          expect(isChunkedForwardEntry(written)).toBe(true);
          const expected = general.encode([{ ...entry, data }]).body;
          expect(Buffer.from(bytesOf(log.encode([written!]))).equals(Buffer.from(expected))).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });

  const refused: [string, object][] = [
    ["a nested object", { user: { id: 7 } }],
    ["an array", { ids: [1, 2] }],
    ["an Error value", { err: new Error("x") }],
    ["a Date", { at: new Date(0) }],
    ["a Map", new Map([["a", 1]])],
    ["a symbol key", { a: 1, [Symbol("s")]: 2 }],
    ["a redacted key", { password: "hunter2" }],
    ["a key reaching the prototype", JSON.parse('{"__proto__": 1}') as object],
    ["an empty key", { "": 1 }],
    ["a key over 256 characters", { ["k".repeat(257)]: 1 }],
    ["a lone surrogate", { s: "a\ud800b" }],
    ["a string over the contract's length", { s: "x".repeat(32769) }],
    ["NaN", { n: Number.NaN }],
    ["Infinity", { n: Number.POSITIVE_INFINITY }],
    ["a bigint", { n: 1n }],
    ["a function", { f: () => 1 }],
    ["a symbol value", { s: Symbol("s") }],
    ["more than 256 values", Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, i]))],
    ["a reserved key holding an object", { message: { a: 1 } }],
    ["a getter that throws", throwingProxy()],
  ];
  it.each(refused)("are refused for %s, leaving nothing behind", (_what, data) => {
    const log = createFluentCompactLog("app.api");
    const before = direct(log, 5n, false, { a: 1 }, new Redaction(), maxBytes, true) as ChunkedForwardEntry;
    expect(direct(log, 5n, false, data, new Redaction(), maxBytes, false)).toBeUndefined();
    expect(direct(log, 5n, false, data, new Redaction(), maxBytes, true)).toBeUndefined();
    const after = direct(log, 5n, false, { b: 2 }, new Redaction(), maxBytes, true) as ChunkedForwardEntry;
    // The refused entry left no bytes between its neighbours: one batch of both decodes to two entries.
    const entries = [...decodeMulti(log.encode([before, after]).body)] as [unknown, Record<string, unknown>][];
    expect(entries.map((e) => e[1].a ?? e[1].b)).toEqual([1, 2]);
  });

  it("are chunked while the sink flows, compact otherwise and when their data is over 16 KiB", () => {
    const log = createFluentCompactLog("app.api");
    expect(isChunkedForwardEntry(direct(log, 5n, false, { a: 1 }, new Redaction(), maxBytes, true))).toBe(true);
    expect(typeof direct(log, 5n, false, { a: 1 }, new Redaction(), maxBytes, false)).toBe("string");
    const big = { a: "x".repeat(20_000) };
    const compact = direct(log, 5n, false, big, new Redaction(), maxBytes, true);
    expect(compact).toBe(direct(log, 5n, false, big, new Redaction(), maxBytes, false));
    expect(direct(log, 5n, false, { a: 1, b: { nested: true } }, new Redaction(), maxBytes, true)).toBeUndefined();
  });

  it("are refused past the byte budget", () => {
    const log = createFluentCompactLog("app.api");
    const data = { a: "x".repeat(600), b: "y".repeat(600) };
    expect(direct(log, 5n, false, data, new Redaction(), 1000, false)).toBeUndefined();
    expect(direct(log, 5n, false, data, new Redaction(), 2000, false)).toBeDefined();
  });
});

describe("chunked entries", () => {
  const writer = () => {
    const log = createFluentCompactLog("app.api");
    const write = (i: number) => direct(log, BigInt(1 + i), false, { i, pad: "p".repeat(200) }, new Redaction(), maxBytes, true) as ChunkedForwardEntry;
    /** The memory an entry lies in (its chunk's), seen through a batch of it alone. */
    const memoryOf = (entry: ChunkedForwardEntry) => log.encode([entry]).body.buffer;
    return { log, write, memoryOf };
  };

  it("keep their bytes while batches are in flight, and a chunk is reused only once all its entries are acknowledged", () => {
    const { log, write, memoryOf } = writer();
    const entries = Array.from({ length: 1200 }, (_, i) => write(i));
    // Two batches sharing the first chunk (about 890 entries of 442 bytes fit in it).
    const first = memoryOf(entries[0]!);
    expect(memoryOf(entries[299]!)).toBe(first);
    expect(memoryOf(entries[300]!)).toBe(first);
    expect(memoryOf(entries[1199]!)).not.toBe(first);
    const a = log.encode(entries.slice(0, 300));
    const b = log.encode(entries.slice(300, 1200));
    expect(b.rest?.length).toBe(1); // two runs: the end of the first chunk, the start of the next
    const aBytes = Buffer.from(bytesOf(a));
    const bBytes = Buffer.from(bytesOf(b));
    // Far more than a chunk's worth written while both are in flight: nothing overwritten.
    for (let i = 0; i < 3000; i++) write(1000 + i);
    expect(bytesOf(a)).toEqual(aBytes);
    a.release?.(true);
    a.release?.(true); // twice is once
    // The first chunk still holds b's first entries: not reused while b is in flight.
    for (let i = 0; i < 3000; i++) write(5000 + i);
    expect(bytesOf(b)).toEqual(bBytes);
    const decoded = [...decodeMulti(bytesOf(b))] as [unknown, Record<string, unknown>][];
    expect(decoded.map((e) => e[1].i)).toEqual(Array.from({ length: 900 }, (_, i) => 300 + i));
    // Once b is acknowledged too, the first chunk is written again.
    b.release?.(true);
    let reused = false;
    for (let i = 0; i < 3000 && !reused; i++) reused = memoryOf(write(9000 + i)) === first;
    expect(reused).toBe(true);
  });

  it("of a dropped batch leave their chunk unwritten for good (the transport may still hold it)", () => {
    const { log, write, memoryOf } = writer();
    const entries = Array.from({ length: 1200 }, (_, i) => write(i));
    const first = memoryOf(entries[0]!);
    const dropped = log.encode(entries.slice(0, 600));
    const acked = log.encode(entries.slice(600));
    const droppedBytes = Buffer.from(bytesOf(dropped));
    dropped.release?.(false);
    acked.release?.(true);
    for (let i = 0; i < 20_000; i++) expect(memoryOf(write(2000 + i))).not.toBe(first);
    expect(bytesOf(dropped)).toEqual(droppedBytes);
  });

  it("are numbered within 2^30 and batched as runs of their chunks", () => {
    const { log, write } = writer();
    const entries = Array.from({ length: 5000 }, (_, i) => write(i));
    for (const e of entries) expect(Number.isInteger(e) && e >= 0 && e < 2 ** 30).toBe(true);
    const batch = log.encode(entries);
    const decoded = [...decodeMulti(bytesOf(batch))] as [unknown, Record<string, unknown>][];
    expect(decoded.map((e) => e[1].i)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    // Out of order: one run per entry, the same records in the batch's order.
    const shuffled = [entries[4], entries[2], entries[3], entries[0]] as ChunkedForwardEntry[];
    const reordered = [...decodeMulti(bytesOf(log.encode(shuffled)))] as [unknown, Record<string, unknown>][];
    expect(reordered.map((e) => e[1].i)).toEqual([4, 2, 3, 0]);
    expect(log.bytesOf(entries[0]!)).toBeGreaterThan(442);
  });
});

function bytesOf(batch: ForwardBatch): Uint8Array {
  return Buffer.concat([batch.body, ...(batch.rest ?? [])]);
}
