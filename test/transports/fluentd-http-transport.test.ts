/**
 * createFluentdHttpTransport against a real node:http receiver on 127.0.0.1 that decodes bodies with
 * @msgpack/msgpack and JSON.parse (independent of our encoder).
 */
import { inspect } from "node:util";
import { decode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { createFluentdHttpTransport } from "../../runtime/transports/fluentd-http/fluentd-http-transport.js";
import { resolveFluentdHttpTransportOptions } from "../../runtime/transports/fluentd-http/fluentd-http-options.js";
import type { Transport } from "../../runtime/transports/transport.js";
import { makeHttpBatch, numberedRecords } from "../helpers/batches.js";
import type { FluentdHttpBatch } from "../../runtime/transports/fluentd-http/fluentd-http-transport.js";
import { startScriptedHttpReceiver, type ScriptedHttpReceiver } from "../helpers/scripted-http-receiver.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const cleanups = cleanupsAfterEach();

async function receiver(): Promise<ScriptedHttpReceiver> {
  const r = await startScriptedHttpReceiver();
  cleanups.push(() => r.close());
  return r;
}

function transport(r: ScriptedHttpReceiver, options: Record<string, unknown> = {}): Transport<FluentdHttpBatch> {
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
    const result = await transport(r).send(makeHttpBatch("app.api", numberedRecords("m", 3)));
    expect(result).toEqual({ status: "ok" });
    const [request] = r.requests;
    expect(request?.path).toBe("/app.api");
    expect(request?.headers["content-type"]).toBe("application/msgpack");
    const records = decode(request?.body ?? new Uint8Array()) as Array<Record<string, unknown>>;
    expect(records.map((x) => [x.id, x.i])).toEqual([
      ["m-0", 0],
      ["m-1", 1],
      ["m-2", 2],
    ]);
    expect(eventTime(records[2]?.time)).toEqual([1700000000, 123456791]);
  });

  it("POSTs a JSON array of records with each time as float seconds", async () => {
    const r = await receiver();
    expect(await transport(r, { format: "json" }).send(makeHttpBatch("app.json", numberedRecords("j", 2), "json"))).toEqual({ status: "ok" });
    const [request] = r.requests;
    expect(request?.headers["content-type"]).toBe("application/json");
    const records = JSON.parse(request?.body.toString("utf8") ?? "") as Array<Record<string, unknown>>;
    expect(records).toEqual([
      { id: "j-0", i: 0, time: 1700000000.1234567 },
      { id: "j-1", i: 1, time: 1700000000.1234567 },
    ]);
  });

  it("uses the configured time key and the base URL's path", async () => {
    const r = await receiver();
    const t = createFluentdHttpTransport({ url: r.url("/ingest/") });
    cleanups.push(() => t.close());
    await t.send(makeHttpBatch("app.x", numberedRecords("k", 1), "msgpack", "ts"));
    const [record] = decode(r.requests[0]?.body ?? new Uint8Array()) as Array<Record<string, unknown>>;
    expect(r.requests[0]?.path).toBe("/ingest/app.x");
    expect(eventTime(record?.ts)).toEqual([1700000000, 123456789]);
  });

  it("gzips the body when gzip is on", async () => {
    const r = await receiver();
    const records = numberedRecords("z", 40);
    expect(await transport(r, { gzip: true, format: "json" }).send(makeHttpBatch("app.zip", records, "json"))).toEqual({ status: "ok" });
    expect(r.requests[0]?.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(r.requests[0]?.body.toString("utf8") ?? "")).toHaveLength(40);
  });

  it("reuses one keep-alive connection for several batches", async () => {
    const r = await receiver();
    const t = transport(r);
    for (let n = 0; n < 4; n++) expect(await t.send(makeHttpBatch("app.ka", numberedRecords(`ka${n}`, 2)))).toEqual({ status: "ok" });
    expect(r.connections).toBe(1);
  });

  it("maps 500 and 503 with Retry-After to retryable, 400 and 413 to failed rejected", async () => {
    const r = await receiver();
    r.script(
      { status: 500, body: "500 Internal Server Error\nBufferOverflowError" },
      { status: 503, headers: { "retry-after": "3" } },
      { status: 400 },
      { status: 413 },
    );
    const t = transport(r);
    const batch = makeHttpBatch("app.err", numberedRecords("e", 1));
    const results = [await t.send(batch), await t.send(batch), await t.send(batch), await t.send(batch)];
    expect(results[0]).toMatchObject({ status: "retryable", error: { code: "unavailable", message: expect.stringContaining("BufferOverflowError") } });
    expect(results[1]).toMatchObject({ status: "retryable", retryAfterMs: 3000 });
    expect(results[2]).toMatchObject({ status: "failed", error: { code: "rejected" } });
    expect(results[3]).toMatchObject({ status: "failed", error: { code: "rejected" } });
  });

  it("reports a tag that is not a path, and a batch in the other format, as failed invalid", async () => {
    const r = await receiver();
    const t = transport(r);
    expect(await t.send(makeHttpBatch("../etc", numberedRecords("t", 1)))).toMatchObject({ status: "failed", error: { code: "invalid" } });
    expect(await t.send(makeHttpBatch("app.json", numberedRecords("t", 1), "json"))).toMatchObject({ status: "failed", error: { code: "invalid" } });
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
