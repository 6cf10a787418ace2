/** NDJSON log files written by the real file transport (our file sink's lines), for `validate` tests. */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { buildStandardLogEntry, LogLevel, ServiceType, type StandardLogEntry, type StandardLogEntrySchema } from "../../generated/index.js";
import { createNdjsonLogEncoder } from "../../runtime/encoding/ndjson-log-encoder.js";
import { createFileTransport } from "../../runtime/transports/file/file-transport.js";

/** A valid log entry (API service), `overrides` applied on top of the init. */
export function sampleLogEntry(message: string, overrides: Omit<MessageInitShape<typeof StandardLogEntrySchema>, "$typeName"> = {}): StandardLogEntry {
  return buildStandardLogEntry({
    timeUnixNano: 1_700_000_000_123_456_789n,
    level: LogLevel.INFO,
    message,
    service: { name: "api-server", type: ServiceType.API, environment: "test", instanceId: "instance-1", host: "host-1" },
    data: { port: { kind: { case: "intValue", value: 3001n } } },
    ...overrides,
  });
}

/** Appends `entries` to `path` exactly as the client's file sink does (NDJSON encoder with the `timestamp` key, file transport). */
export async function writeFileSinkLines(path: string, entries: readonly StandardLogEntry[], tag = "app.cli"): Promise<void> {
  const transport = createFileTransport({ path });
  try {
    const result = await transport.send(createNdjsonLogEncoder(tag, { timeKey: "timestamp" })(entries));
    if (result.status !== "ok") throw new Error(`file transport: ${JSON.stringify(result)}`);
  } finally {
    await transport.close();
  }
}
