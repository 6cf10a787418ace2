/**
 * The collector's Fluentd in_http-style input: our Fluentd HTTP transport (JSON and msgpack) and
 * hand-made requests through fetch.
 */
import { gzipSync } from "node:zlib";
import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import type { Collector } from "../../runtime/collector/collector.js";
import { createInHttpJsonEncoder } from "../../runtime/encoding/in-http-json-encoder.js";
import { createInHttpMsgpackEncoder } from "../../runtime/encoding/in-http-msgpack-encoder.js";
import { createFluentdHttpTransport } from "../../runtime/transports/fluentd-http/fluentd-http-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector, validLogEntry } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();

function post(collector: Collector, path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${collector.ports.http}${path}`, { method: "POST", body, headers });
}

describe("the in_http input", () => {
  for (const format of ["json", "msgpack"] as const) {
    it(`takes batches of our Fluentd HTTP transport as ${format}, event times kept, records valid`, async () => {
      const collector = await startTestCollector(cleanups);
      const transport = createFluentdHttpTransport({ url: `http://127.0.0.1:${collector.ports.http}`, format, gzip: format === "json" });
      cleanups.push(() => transport.close());
      const entries = [validLogEntry("over http"), validLogEntry("second")];
      const arrived = nextRecords(collector, 2);
      const encode = format === "json" ? createInHttpJsonEncoder("app.http") : createInHttpMsgpackEncoder("app.http");
      expect((await transport.send(encode(entries))).status).toBe("ok");
      const records = await arrived;
      expect(records.map((r) => [r.source, r.tag, r.path, r.record.message, "time" in r.record])).toEqual([
        ["http", "app.http", "/app.http", "over http", false],
        ["http", "app.http", "/app.http", "second", false],
      ]);
      if (format === "msgpack") expect(records[0]?.timeUnixNano).toBe(entries[0]?.timeUnixNano.toString());
      expect(records.flatMap((r) => r.violations)).toEqual([]);
    });
  }

  it("takes one JSON object, a path's slashes becoming tag dots and ?time= the event time", async () => {
    const collector = await startTestCollector(cleanups);
    const arrived = nextRecords(collector, 1);
    const res = await post(collector, "/app/web?time=1700000000.5", JSON.stringify({ message: "single" }), { "content-type": "application/json" });
    expect(res.status).toBe(200);
    const [record] = await arrived;
    expect([record?.tag, record?.timeUnixNano, record?.record]).toEqual(["app.web", "1700000000500000000", { message: "single" }]);
  });

  it("takes a JSON array, each record's time key becoming its event time and removed", async () => {
    const collector = await startTestCollector(cleanups);
    const arrived = nextRecords(collector, 2);
    const body = JSON.stringify([
      { message: "a", time: 1700000001 },
      { message: "b", time: 1700000002.25 },
    ]);
    expect((await post(collector, "/batch", gzipSync(body), { "content-type": "application/json", "content-encoding": "gzip" })).status).toBe(200);
    expect((await arrived).map((r) => [r.timeUnixNano, r.record])).toEqual([
      ["1700000001000000000", { message: "a" }],
      ["1700000002250000000", { message: "b" }],
    ]);
  });

  it("takes a hand-made msgpack map", async () => {
    const collector = await startTestCollector(cleanups);
    const arrived = nextRecords(collector, 1);
    expect((await post(collector, "/mp", encode({ message: "packed", n: 7 }), { "content-type": "application/msgpack" })).status).toBe(200);
    expect((await arrived)[0]?.record).toEqual({ message: "packed", n: 7 });
  });

  it("answers 400 to a body that does not parse and counts it as a hop error", async () => {
    const collector = await startTestCollector(cleanups);
    const res = await post(collector, "/bad", "{not json", { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(collector.status().hops.http).toMatchObject({ records: 0, errors: 1, lastError: expect.stringMatching(/does not parse/) });
  });
});
