import type { StandardLogEntry } from "../../generated/index.js";
import { msgpackKey } from "../../generated/emp/telemetry/v1/contract_support.js";
import { writeStandardLogEntryMsgpackFields } from "../../generated/emp/telemetry/v1/log_contract.js";
import type { FluentdHttpBatch } from "../transports/fluentd-http/fluentd-http-transport.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";

const nanosPerSecond = 1_000_000_000n;

/**
 * Encodes log entries as the msgpack body Fluentd `in_http` takes (`application/msgpack`): one array
 * of maps, each the entry's Fluentd record (secrets redacted) written by the generated msgpack writer
 * straight from the message, with `timeKey` appended last as an EventTime (ext 0), which `in_http`
 * keeps to the nanosecond and which wins over a record field of that name. `timeKey` must match
 * `in_http`'s `<parse> time_key` (default `time`). Runs off the call path, once per batch; the
 * writer's buffer is reused and each batch gets a copy.
 * Throws `RangeError` for a time outside uint32 seconds (the sink counts it as `encode_error`).
 */
export function createInHttpMsgpackEncoder(tag: string, timeKey = "time"): (entries: readonly StandardLogEntry[]) => FluentdHttpBatch {
  const writer = new MsgpackWriter(64 * 1024);
  const timeKeyBytes = msgpackKey(timeKey);
  return (entries) => {
    writer.reset();
    writer.writeArrayHeader(entries.length);
    for (const e of entries) {
      const at = writer.beginMap();
      const fields = writeStandardLogEntryMsgpackFields(e, writer);
      const seconds = e.timeUnixNano / nanosPerSecond;
      writer.writeRaw(timeKeyBytes);
      writer.writeEventTime(Number(seconds), Number(e.timeUnixNano - seconds * nanosPerSecond));
      writer.endMap(at, fields + 1);
    }
    const bytes = writer.takeBytes();
    return { tag, format: "msgpack", body: bytes, count: entries.length, bytes: bytes.length };
  };
}
