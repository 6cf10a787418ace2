// Log entries as Fluentd in_http msgpack bodies, decoded by @msgpack/msgpack (an independent decoder).
import { decode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createInHttpMsgpackEncoder } from "../../runtime/encoding/in-http-msgpack-encoder.js";
import { sampleLogEntry } from "../helpers/contract-ndjson.js";
import { forwardRecords } from "../helpers/forward-records.js";

function eventTime(value: unknown): [number, number] {
  if (!(value instanceof ExtData) || value.type !== 0) throw new Error("not an EventTime");
  const data = value.data as Uint8Array;
  const view = new DataView(data.buffer, data.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

describe("createInHttpMsgpackEncoder", () => {
  it("writes an array of the forward records, each with its time appended last as an EventTime", () => {
    const entries = [sampleLogEntry("one"), sampleLogEntry("two", { timeUnixNano: 1_700_000_001_999_999_999n })];
    const batch = createInHttpMsgpackEncoder("app.api")(entries);
    expect(batch).toMatchObject({ tag: "app.api", format: "msgpack", count: 2, bytes: batch.body.byteLength });
    const records = decode(batch.body) as Array<Record<string, unknown>>;
    const expected = forwardRecords(entries);
    expect(records.map(({ time: _time, ...rest }) => rest)).toEqual(expected);
    expect(records.map((r) => eventTime(r.time))).toEqual([
      [1700000000, 123456789],
      [1700000001, 999999999],
    ]);
    expect(Object.keys(records[0]!).at(-1)).toBe("time");
  });

  it("uses the given time key, which wins over a record field of that name", () => {
    const entry = sampleLogEntry("own", { data: c.mapValueFromPlain({ ts: "mine" }).fields });
    const [record] = decode(createInHttpMsgpackEncoder("app.x", "ts")([entry]).body) as Array<Record<string, unknown>>;
    expect(eventTime(record?.ts)).toEqual([1700000000, 123456789]);
  });

  it("throws for a time before the epoch (the sink counts it as encode_error)", () => {
    expect(() => createInHttpMsgpackEncoder("app.x")([sampleLogEntry("old", { timeUnixNano: -1n })])).toThrow(RangeError);
  });
});
