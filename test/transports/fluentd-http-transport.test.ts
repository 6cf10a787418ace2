/**
 * createFluentdHttpTransport against a real node:http receiver on 127.0.0.1 that decodes bodies with
 * @msgpack/msgpack and JSON.parse (independent of our encoder), plus the forward-entry re-framing.
 */
import { inspect } from "node:util";
import { decode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { forwardEntriesToMsgpackArray, forwardEntriesToObjects, isoTimeWithNanos } from "../../runtime/transports/fluentd-http/forward-entries.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";
import { createFluentdHttpTransport, resolveFluentdHttpTransportOptions, type EncodedBatch, type Transport } from "../../runtime/transports/index.js";
import { makeBatch, numberedRecords } from "../helpers/batches.js";
import { startScriptedHttpReceiver, type ScriptedHttpReceiver } from "../helpers/scripted-http-receiver.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const cleanups = cleanupsAfterEach();

async function receiver(): Promise<ScriptedHttpReceiver> {
  const r = await startScriptedHttpReceiver();
  cleanups.push(() => r.close());
  return r;
}

function transport(r: ScriptedHttpReceiver, options: Record<string, unknown> = {}): Transport {
  const t = createFluentdHttpTransport({ url: r.url(""), timeoutMs: 3000, ...options });
  cleanups.push(() => t.close());
  return t;
}

/** EventTime ext data → [seconds, nanos]. */
function eventTime(value: unknown): [number, number] {
  if (!(value instanceof ExtData) || value.type !== 0) throw new Error(`not an EventTime: ${inspect(value)}`);
  const data = value.data as Uint8Array;
  const view = new DataView(data.buffer, data.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

describe("createFluentdHttpTransport", () => {
  it("POSTs a msgpack array of records to /<tag> with each time as an EventTime", async () => {
    const r = await receiver();
    const result = await transport(r).send(makeBatch("app.api", numberedRecords("m", 3)));
    expect(result).toEqual({ status: "ok" });
    const [request] = r.requests;
    expect(request?.path).toBe("/app.api");
    expect(request?.headers["content-type"]).toBe("application/msgpack");
    const records = decode(request?.body ?? new Uint8Array()) as Array<Record<string, unknown>>;
    expect(records.map((x) => [x.id, x.i])).toEqual([["m-0", 0], ["m-1", 1], ["m-2", 2]]);
    expect(eventTime(records[2]?.time)).toEqual([1700000000, 123456791]);
  });

  it("POSTs a JSON array of records with each time as float seconds", async () => {
    const r = await receiver();
    expect(await transport(r, { format: "json" }).send(makeBatch("app.json", numberedRecords("j", 2)))).toEqual({ status: "ok" });
    const [request] = r.requests;
    expect(request?.headers["content-type"]).toBe("application/json");
    const records = JSON.parse(request?.body.toString("utf8") ?? "") as Array<Record<string, unknown>>;
    expect(records).toEqual([{ id: "j-0", i: 0, time: 1700000000.1234567 }, { id: "j-1", i: 1, time: 1700000000.123456790 }]);
  });

  it("uses the configured time key and the base URL's path", async () => {
    const r = await receiver();
    const t = createFluentdHttpTransport({ url: r.url("/ingest/"), timeKey: "ts" });
    cleanups.push(() => t.close());
    await t.send(makeBatch("app.x", numberedRecords("k", 1)));
    const [record] = decode(r.requests[0]?.body ?? new Uint8Array()) as Array<Record<string, unknown>>;
    expect(r.requests[0]?.path).toBe("/ingest/app.x");
    expect(eventTime(record?.ts)).toEqual([1700000000, 123456789]);
  });

  it("gzips the body when gzip is on", async () => {
    const r = await receiver();
    const records = numberedRecords("z", 40);
    expect(await transport(r, { gzip: true, format: "json" }).send(makeBatch("app.zip", records))).toEqual({ status: "ok" });
    expect(r.requests[0]?.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(r.requests[0]?.body.toString("utf8") ?? "")).toHaveLength(40);
  });

  it("reuses one keep-alive connection for several batches", async () => {
    const r = await receiver();
    const t = transport(r);
    for (let n = 0; n < 4; n++) expect(await t.send(makeBatch("app.ka", numberedRecords(`ka${n}`, 2)))).toEqual({ status: "ok" });
    expect(r.connections).toBe(1);
  });

  it("maps 500 and 503 with Retry-After to retryable, 400 and 413 to failed rejected", async () => {
    const r = await receiver();
    r.script({ status: 500, body: "500 Internal Server Error\nBufferOverflowError" }, { status: 503, headers: { "retry-after": "3" } }, { status: 400 }, { status: 413 });
    const t = transport(r);
    const batch = makeBatch("app.err", numberedRecords("e", 1));
    const results = [await t.send(batch), await t.send(batch), await t.send(batch), await t.send(batch)];
    expect(results[0]).toMatchObject({ status: "retryable", error: { code: "unavailable", message: expect.stringContaining("BufferOverflowError") } });
    expect(results[1]).toMatchObject({ status: "retryable", retryAfterMs: 3000 });
    expect(results[2]).toMatchObject({ status: "failed", error: { code: "rejected" } });
    expect(results[3]).toMatchObject({ status: "failed", error: { code: "rejected" } });
  });

  it("reports a tag that is not a path, and entries that are not forward-encoded, as failed invalid", async () => {
    const r = await receiver();
    const t = transport(r);
    expect(await t.send(makeBatch("../etc", numberedRecords("t", 1)))).toMatchObject({ status: "failed", error: { code: "invalid" } });
    const junk: EncodedBatch = { tag: "app.junk", entries: new Uint8Array([0x92, 0xc1]), count: 1, bytes: 2 };
    expect(await t.send(junk)).toMatchObject({ status: "failed", error: { code: "invalid" } });
    expect(r.requests).toHaveLength(0);
  });

  it("redacts header values in inspect and JSON", () => {
    const t = createFluentdHttpTransport({ headers: { authorization: "Basic c2VjcmV0LXZhbHVl" } });
    cleanups.push(() => t.close());
    expect(inspect(t)).not.toContain("c2VjcmV0LXZhbHVl");
    expect(JSON.stringify(t)).not.toContain("c2VjcmV0LXZhbHVl");
    expect(() => resolveFluentdHttpTransportOptions({ format: "xml" as "json", url: "http://x/?q=1" })).toThrow(/format="xml".*|url=/s);
    expect(resolveFluentdHttpTransportOptions({}).url).toBe("http://127.0.0.1:8888");
  });
});

describe("forward entry re-framing", () => {
  it("keeps every msgpack type of a record and appends the time last, replacing a record's own time", () => {
    const writer = new MsgpackWriter();
    const big: Record<string, number> = {};
    for (let i = 0; i < 20; i++) big[`k${i}`] = i * 1000; // map16
    const record = {
      time: "mine", s: "x".repeat(300), n: -5, f: 1.5, big: 2n ** 60n, bin: new Uint8Array([1, 2, 3]), nil: null, t: true,
      arr: [1, [2, [3]]], nested: { a: { b: { c: "d" } } }, big16: big, unicode: "naïve \u2028 ✓",
    };
    writer.writeEntry(1700000000, 5, record);
    writer.writeEntry(1700000001, 999999999, { only: 1 });
    const entries = writer.toBytes();

    const decoded = decode(forwardEntriesToMsgpackArray(entries, "time"), { useBigInt64: true }) as Array<Record<string, unknown>>;
    expect(decoded).toHaveLength(2);
    expect(eventTime(decoded[0]?.time)).toEqual([1700000000, 5]);
    expect(decoded[0]).toMatchObject({ s: "x".repeat(300), n: -5, f: 1.5, big: 2n ** 60n, nil: null, t: true, arr: [1, [2, [3]]], nested: { a: { b: { c: "d" } } }, unicode: "naïve \u2028 ✓" });
    expect(Object.keys(decoded[0] ?? {})).toHaveLength(Object.keys(record).length);
    expect(eventTime(decoded[1]?.time)).toEqual([1700000001, 999999999]);

    const objects = forwardEntriesToObjects(entries, "time", isoTimeWithNanos);
    expect(objects[0]).toMatchObject({ time: "2023-11-14T22:13:20.000000005Z", big: "1152921504606846976", bin: "\u0001\u0002\u0003", big16: big });
    expect(objects[1]).toEqual({ only: 1, time: "2023-11-14T22:13:21.999999999Z" });
  });

  it("rejects truncated entries and non-map records", () => {
    const writer = new MsgpackWriter();
    writer.writeEntry(1700000000, 0, { a: "hello" });
    const whole = writer.toBytes();
    expect(() => forwardEntriesToMsgpackArray(whole.subarray(0, whole.length - 2), "time")).toThrow(/truncated/);
    writer.reset();
    writer.writeEntry(1700000000, 0, ["not", "a", "map"]);
    expect(() => forwardEntriesToMsgpackArray(writer.toBytes(), "time")).toThrow(/not a map/);
    expect(() => forwardEntriesToObjects(writer.toBytes(), "time", isoTimeWithNanos)).toThrow(/record map/);
  });
});
