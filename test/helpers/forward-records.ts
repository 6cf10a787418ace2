/** The Fluentd records the forward encoder writes for log entries, decoded by @msgpack/msgpack: what the other Fluentd encoders must carry too. */
import { decodeMulti } from "@msgpack/msgpack";
import type { StandardLogEntry } from "../../generated/index.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";

/** Each entry's record as the forward encoder writes it (time not included). */
export function forwardRecords(entries: readonly StandardLogEntry[]): Record<string, unknown>[] {
  const decoded = [...decodeMulti(createFluentLogEncoder("app.x")(entries).body)] as [unknown, Record<string, unknown>][];
  return decoded.map(([, record]) => record);
}
