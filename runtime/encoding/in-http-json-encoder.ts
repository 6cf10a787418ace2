import type { StandardLogEntry } from "../../generated/index.js";
import { standardLogEntryToFluentRecord } from "../../generated/emp/telemetry/v1/log_contract.js";
import type { FluentdHttpBatch } from "../transports/fluentd-http/fluentd-http-transport.js";
import { wellFormedJson } from "./well-formed-json.js";

const nanosPerSecond = 1_000_000_000n;

/**
 * Encodes log entries as the JSON body Fluentd `in_http` takes (`application/json`): one array of
 * objects, each the entry's Fluentd record (secrets redacted) built by the generated mapper, with
 * `timeKey` set to the time as float seconds (a float64 holds today's epoch to about 0.24 µs; the
 * msgpack encoder keeps nanoseconds). `timeKey` must match `in_http`'s `<parse> time_key` (default
 * `time`); it replaces a record field of that name. Runs off the call path, once per batch.
 */
export function createInHttpJsonEncoder(tag: string, timeKey = "time"): (entries: readonly StandardLogEntry[]) => FluentdHttpBatch {
  return (entries) => {
    const records = entries.map((e) => {
      const record = standardLogEntryToFluentRecord(e);
      record[timeKey] = Number(e.timeUnixNano / nanosPerSecond) + Number(e.timeUnixNano % nanosPerSecond) / 1e9;
      return record;
    });
    const body = Buffer.from(wellFormedJson(records), "utf8");
    return { tag, format: "json", body, count: entries.length, bytes: body.byteLength };
  };
}
