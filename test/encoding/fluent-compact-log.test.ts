// Compact forward entries (the forward sink's queued form): the batches they make are the bytes the
// entries' own encoder writes, field for field, decoded by @msgpack/msgpack, an independent decoder.
import { decodeMulti } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { compactForwardEntryBytes, createFluentCompactLog } from "../../runtime/encoding/fluent-compact-log.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";

const api = c.buildServiceMetadata({ name: "api-server", type: c.ServiceType.API, environment: "test", instanceId: "i-1", host: "h" });

const entry = (i: number, service: c.ServiceMetadata | undefined = api): c.StandardLogEntry =>
  c.buildStandardLogEntry({
    timeUnixNano: 1764314558_000000000n + BigInt(i) * 1_000_000_001n,
    level: c.LogLevel.WARN,
    message: `entry ${i} é ✓ 😀`,
    service,
    trace: i % 2 === 0 ? { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 } : undefined,
    error: i % 3 === 0 ? { type: "TypeError", message: "bad", stack: "TypeError: bad\n    at x", causes: [] } : undefined,
    data: c.mapValueFromPlain({
      "emp.job.id": `job-${i}`,
      n: i * 1_000_003,
      d: i / 7,
      ok: i % 2 === 0,
      list: [1, "two", { three: 3 }],
      big: "x".repeat(i * 40),
    }).fields,
  });

const bytesEqual = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const records = (body: Uint8Array) => [...decodeMulti(body)] as [unknown, Record<string, unknown>][];

describe("createFluentCompactLog", () => {
  it("makes batches of compact entries that decode to the entries' own records, with and without services", () => {
    const other = c.buildServiceMetadata({ name: "worker", type: c.ServiceType.WORKER, environment: "test" });
    const entries = Array.from({ length: 40 }, (_, i) => entry(i, i % 5 === 0 ? undefined : i % 2 === 0 ? api : other));
    const log = createFluentCompactLog("app.api");
    const batch = log.encode(entries.map((e) => log.compact(e)));
    const expected = createFluentLogEncoder("app.api")(entries);
    expect(batch).toMatchObject({ tag: "app.api", count: 40, bytes: expected.bytes });
    const decoded = records(batch.body);
    expect(decoded).toEqual(records(expected.body));
    expect(decoded[2]![1]).toMatchObject({ message: "entry 2 é ✓ 😀", "service.name": "api-server", "emp.job.id": "job-2", n: 2_000_006 });
    expect(Object.keys(decoded[2]![1]).at(-1)).toBe("host.name"); // the cached fields come last
  });

  it("writes entries as their own encoder does, byte for byte, and mixes them with compact ones", () => {
    const log = createFluentCompactLog("t");
    const entries = Array.from({ length: 10 }, (_, i) => entry(i));
    expect(bytesEqual(log.encode(entries).body, createFluentLogEncoder("t")(entries).body)).toBe(true);
    const mixed = entries.map((e, i) => (i % 3 === 0 ? log.compact(e) : e));
    expect(records(log.encode(mixed).body)).toEqual(records(createFluentLogEncoder("t")(entries).body));
  });

  it("keeps a queued entry in far fewer bytes than its encoding, its service's fields left out once", () => {
    const log = createFluentCompactLog("t");
    const compact = log.compact(entry(1));
    const whole = createFluentLogEncoder("t")([entry(1)]).body.length;
    expect(compact.length).toBeLessThan(whole - 20);
    expect(compactForwardEntryBytes(compact)).toBe(40 + compact.length);
    expect([...compact].every((ch) => ch.charCodeAt(0) <= 0xff)).toBe(true); // a one-byte string
  });

  it("writes entries inline past 255 distinct services", () => {
    const log = createFluentCompactLog("t");
    const entries = Array.from({ length: 300 }, (_, i) => entry(i, c.buildServiceMetadata({ name: `s${i}`, type: c.ServiceType.API })));
    const compacts = entries.map((e) => log.compact(e));
    expect(records(log.encode(compacts).body)).toEqual(records(createFluentLogEncoder("t")(entries).body));
    expect(compacts[299]!.length).toBeGreaterThan(compacts[0]!.length); // its service inline
  });

  it("throws where the entry's encoder does (a time past uint32 seconds), and goes on after", () => {
    const log = createFluentCompactLog("t");
    const late = c.buildStandardLogEntry({ timeUnixNano: 2n ** 63n, level: c.LogLevel.INFO, message: "m", service: api });
    expect(() => createFluentLogEncoder("t")([late])).toThrow(RangeError);
    expect(() => log.compact(late)).toThrow(RangeError);
    expect(() => log.encode([late])).toThrow(RangeError);
    expect(records(log.encode([log.compact(entry(1))]).body)).toEqual(records(createFluentLogEncoder("t")([entry(1)]).body));
  });
});
