import type { StandardLogEntry } from "../../generated/index.js";
import { writeStandardLogEntryMsgpack } from "../../generated/emp/telemetry/v1/log_contract.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";
import type { ForwardBatch } from "../transports/forward/forward-transport.js";

/**
 * Encodes log entries for the forward protocol: each entry becomes `[EventTime, record]` with the
 * entry's nanosecond time and the contract's Fluentd record (secrets redacted), concatenated into
 * one PackedForward body. The record is written by the generated msgpack writer, straight from the
 * message (no intermediate object; keys pre-encoded; the service's fields encoded once). Runs off
 * the call path, once per batch; the writer's buffer is reused and each batch gets a copy.
 * Throws only on a bug (the sink counts that as `encode_error`).
 */
export function createFluentLogEncoder(tag: string): (entries: readonly StandardLogEntry[]) => ForwardBatch {
  const writer = new MsgpackWriter(64 * 1024);
  return (entries) => {
    writer.reset();
    for (const e of entries) {
      writer.writeEntryTime(e.timeUnixNano);
      writeStandardLogEntryMsgpack(e, writer);
    }
    const bytes = writer.takeBytes();
    return { tag, body: bytes, count: entries.length, bytes: bytes.length };
  };
}
