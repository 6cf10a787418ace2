// Log entries as NDJSON lines for the file sink: the forward record as JSON, plus time and tag keys.
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createNdjsonLogEncoder } from "../../runtime/encoding/ndjson-log-encoder.js";
import { TelemetryError } from "../../runtime/errors/telemetry-error.js";
import { sampleLogEntry } from "../helpers/contract-ndjson.js";
import { forwardRecords } from "../helpers/forward-records.js";

function lines(body: Uint8Array): Array<Record<string, unknown>> {
  const text = Buffer.from(body).toString("utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("createNdjsonLogEncoder", () => {
  it("writes one line per entry: the forward record, then the time with nanoseconds and the tag", () => {
    const entries = [sampleLogEntry("one"), sampleLogEntry("two", { timeUnixNano: 1_700_000_001_000_000_042n })];
    const batch = createNdjsonLogEncoder("app.api", { tagKey: "tag" })(entries);
    expect(batch).toMatchObject({ count: 2, bytes: batch.body.byteLength });
    const got = lines(batch.body);
    const expected = forwardRecords(entries);
    expect(got).toEqual([
      { ...expected[0], time: "2023-11-14T22:13:20.123456789Z", tag: "app.api" },
      { ...expected[1], time: "2023-11-14T22:13:21.000000042Z", tag: "app.api" },
    ]);
    expect(Object.keys(got[0]!).slice(-2)).toEqual(["time", "tag"]);
  });

  it("puts the time under the record's own timestamp key when asked, in place", () => {
    const [entry] = [sampleLogEntry("ts")];
    const [line] = lines(createNdjsonLogEncoder("app.api", { timeKey: "timestamp" })([entry!]).body);
    expect(line).toEqual(forwardRecords([entry!])[0]);
  });

  it("keeps each record on one line whatever its strings contain", () => {
    const nasty = ["two\nlines", "cr\r\nlf", "tab\t", 'quote " backslash \\', "sep \u2028 \u2029", "nul \u0000", "emoji 🎉", "lone \ud800"];
    const entries = nasty.map((msg) => sampleLogEntry("nasty", { data: c.mapValueFromPlain({ msg, nested: { msg } }).fields }));
    const got = lines(createNdjsonLogEncoder("app.x")(entries).body);
    expect(got).toHaveLength(nasty.length);
    expect(got.map((r) => r.msg)).toEqual(nasty.map((s) => s.replace("\ud800", "\ufffd")));
    expect(got.map((r) => (r.nested as { msg: string }).msg)).toEqual(nasty.map((s) => s.replace("\ud800", "\ufffd")));
  });

  it("throws config_invalid for a tag key equal to the time key", () => {
    expect(() => createNdjsonLogEncoder("app.x", { timeKey: "t", tagKey: "t" })).toThrow(TelemetryError);
    expect(() => createNdjsonLogEncoder("app.x", { timeKey: "" })).toThrow(/timeKey/);
  });
});
