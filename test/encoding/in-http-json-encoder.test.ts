// Log entries as Fluentd in_http JSON bodies.
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createInHttpJsonEncoder } from "../../runtime/encoding/in-http-json-encoder.js";
import { sampleLogEntry } from "../helpers/contract-ndjson.js";
import { forwardRecords } from "../helpers/forward-records.js";

describe("createInHttpJsonEncoder", () => {
  it("writes an array of the forward records, each with its time as float seconds", () => {
    const entries = [sampleLogEntry("one"), sampleLogEntry("two", { timeUnixNano: 1_700_000_000_123_456_790n })];
    const batch = createInHttpJsonEncoder("app.json")(entries);
    expect(batch).toMatchObject({ tag: "app.json", format: "json", count: 2, bytes: batch.body.byteLength });
    const records = JSON.parse(Buffer.from(batch.body).toString("utf8")) as Array<Record<string, unknown>>;
    const expected = forwardRecords(entries);
    expect(records).toEqual([
      { ...expected[0], time: 1700000000.1234567 },
      { ...expected[1], time: 1700000000.1234567 },
    ]);
  });

  it("replaces a record field named like the time key, and makes strings well-formed", () => {
    const entry = sampleLogEntry("own", { data: c.mapValueFromPlain({ ts: "mine", lone: "a\ud800b" }).fields });
    const [record] = JSON.parse(Buffer.from(createInHttpJsonEncoder("app.x", "ts")([entry]).body).toString("utf8")) as Array<Record<string, unknown>>;
    expect(record).toMatchObject({ ts: 1700000000.1234567, lone: "a\ufffdb" });
  });
});
