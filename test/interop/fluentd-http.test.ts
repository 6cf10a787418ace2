/**
 * Interop with the real Fluentd 1.18 (../shared/tools/fluentd): our in_http transport against
 * `<source> @type http` (the seed's Fluentd input), records written by `out_file` with the event time
 * in nanoseconds, so the per-record times Fluentd took from our bodies can be checked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFluentdHttpTransport } from "../../runtime/transports/fluentd-http/fluentd-http-transport.js";
import type { Transport } from "../../runtime/transports/transport.js";
import type { FluentdHttpBatch } from "../../runtime/transports/fluentd-http/fluentd-http-transport.js";
import { makeHttpBatch, numberedRecords, type TimedRecord } from "../helpers/batches.js";
import { freePorts } from "../helpers/daemons.js";
import { startFluentd, type FluentdDaemon } from "../helpers/fluentd-daemon.js";

const run = Date.now().toString(36);
let httpPort = 0;
let fluentd: FluentdDaemon | undefined;
const transports: Transport<FluentdHttpBatch>[] = [];

function transport(options: { format: "json" | "msgpack"; gzip?: boolean }): Transport<FluentdHttpBatch> {
  const t = createFluentdHttpTransport({ url: `http://127.0.0.1:${httpPort}`, timeoutMs: 5000, ...options });
  transports.push(t);
  return t;
}

function written(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (fluentd === undefined) throw new Error("Fluentd did not start");
  return fluentd.written(ids);
}

/** Nanoseconds since the epoch of an out_file time like `2023-11-14T22:13:20.123456789Z`. */
function nanosOf(time: unknown): bigint {
  const match = /^(.*)\.(\d{9})Z$/.exec(String(time));
  if (!match) throw new Error(`unexpected time ${String(time)}`);
  return BigInt(Date.parse(`${match[1] ?? ""}Z`)) * 1_000_000n + BigInt(match[2] ?? "0");
}

function records(prefix: string, count: number): TimedRecord[] {
  return numberedRecords(`${run}-${prefix}`, count).map((r, i) => ({ ...r, record: { ...r.record, msg: `line ${i}\nwith "quotes" and ünïcode` } }));
}

beforeAll(async () => {
  [httpPort] = (await freePorts(1)) as [number];
  fluentd = await startFluentd(
    "fluentd-http-interop-",
    [httpPort],
    () => `
<source>
  @type http
  bind 127.0.0.1
  port ${httpPort}
  body_size_limit 32m
</source>
`,
  );
}, 60000);

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await fluentd?.stop();
}, 20000);

describe("Fluentd in_http transport against Fluentd 1.18", () => {
  it("delivers a msgpack batch with every record's time to the nanosecond", async () => {
    const sent = records("msgpack", 3);
    expect(await transport({ format: "msgpack" }).send(makeHttpBatch("app.http.msgpack", sent))).toEqual({ status: "ok" });
    const found = await written(sent.map((r) => String(r.record.id)));
    expect(found.size).toBe(3);
    expect(found.get(`${run}-msgpack-0`)).toEqual({
      id: `${run}-msgpack-0`,
      i: 0,
      msg: 'line 0\nwith "quotes" and ünïcode',
      tag: "app.http.msgpack",
      time: "2023-11-14T22:13:20.123456789Z",
    });
    expect(found.get(`${run}-msgpack-2`)?.time).toBe("2023-11-14T22:13:20.123456791Z");
  });

  it("delivers a JSON batch with every record's time to within a microsecond (float seconds)", async () => {
    const sent = records("json", 3);
    expect(await transport({ format: "json" }).send(makeHttpBatch("app.http.json", sent, "json"))).toEqual({ status: "ok" });
    const found = await written(sent.map((r) => String(r.record.id)));
    expect(found.get(`${run}-json-1`)).toMatchObject({ i: 1, msg: 'line 1\nwith "quotes" and ünïcode', tag: "app.http.json" });
    for (const [i, r] of sent.entries()) {
      const expected = BigInt(r.seconds) * 1_000_000_000n + BigInt(r.nanos);
      const got = nanosOf(found.get(`${run}-json-${i}`)?.time);
      const diff = got > expected ? got - expected : expected - got;
      expect(diff).toBeLessThan(1000n);
    }
  });

  it("delivers gzip batches on one keep-alive connection", async () => {
    const t = transport({ format: "msgpack", gzip: true });
    const batches = [0, 1, 2].map((n) => records(`gz${n}`, 2));
    for (const [n, batch] of batches.entries()) expect(await t.send(makeHttpBatch(`app.http.gz${n}`, batch))).toEqual({ status: "ok" });
    const found = await written(batches.flat().map((r) => String(r.record.id)));
    expect(found.size).toBe(6);
  });

  it("replaces a record's own time field with the event time", async () => {
    const sent: TimedRecord[] = [{ seconds: 1700000100, nanos: 42, record: { id: `${run}-own-time`, time: "2001-01-01T00:00:00Z" } }];
    expect(await transport({ format: "msgpack" }).send(makeHttpBatch("app.http.own", sent))).toEqual({ status: "ok" });
    const found = await written([`${run}-own-time`]);
    expect(found.get(`${run}-own-time`)?.time).toBe("2023-11-14T22:15:00.000000042Z");
  });

  it("answers 400 to a JSON time that is a string, which is why the transport sends numbers", async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/app.http.bad`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ id: "bad", time: "2023-11-14T22:13:20.123456789Z" }]),
    });
    expect(response.status).toBe(400);
  });
});
