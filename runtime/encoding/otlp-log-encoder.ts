import { standardLogEntryToOtlpLogRecord } from "../../generated/emp/telemetry/v1/log_contract.js";
import type { OtlpLogRecord, StandardLogEntry } from "../../generated/index.js";
import type { EncodedBatch } from "../transports/transport.js";
import { hexToBytes, withExtraResource, writeKeyValues, writeResource, writeScope } from "./otlp-values.js";
import { ProtoWriter, WireType } from "../wire/proto-writer.js";
import { packageName, packageVersion } from "../package/package-version.js";

/** Instrumentation scope our records carry: this package and its version (package.json). */
export const instrumentationScope = Object.freeze({ name: packageName, version: packageVersion });

const LEN = WireType.LengthDelimited;

/** Groups records by a key, keeping the order of first appearance and the order within each group. */
export function groupBy<T>(records: readonly T[], keyOf: (record: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of records) {
    const key = keyOf(r);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(r);
  }
  return [...groups.values()];
}

/** Groups mapped records by their resource (records of one service share it), keeping order. */
export function groupByResource<T extends { readonly resource: Readonly<Record<string, unknown>> }>(records: readonly T[]): T[][] {
  return groupBy(records, (r) => JSON.stringify(r.resource));
}

function writeLogRecord(w: ProtoWriter, r: OtlpLogRecord): void {
  w.tag(2, LEN).fork(); // ScopeLogs.log_records
  w.tag(1, WireType.Bit64).fixed64(r.timeUnixNano);
  if (r.severityNumber !== 0) w.tag(2, WireType.Varint).int32(r.severityNumber);
  if (r.severityText !== "") w.tag(3, LEN).string(r.severityText);
  w.tag(5, LEN).fork().tag(1, LEN).string(r.body).join(); // body: AnyValue string_value
  writeKeyValues(w, 6, r.attributes);
  if (r.traceFlags !== 0) w.tag(8, WireType.Bit32).fixed32(r.traceFlags);
  if (r.traceId !== "") w.tag(9, LEN).bytes(hexToBytes(r.traceId));
  if (r.spanId !== "") w.tag(10, LEN).bytes(hexToBytes(r.spanId));
  w.tag(11, WireType.Bit64).fixed64(r.timeUnixNano); // observed_time_unix_nano
  w.join();
}

/**
 * Encodes log entries as one OTLP `ExportLogsServiceRequest` (protobuf), entries of the same service
 * under one resource, each field in the OTLP slot the contract gives it. Runs once per batch, off
 * the call path. `extraResource` (`OTEL_RESOURCE_ATTRIBUTES`) joins each resource, under its own keys.
 */
export function encodeOtlpLogs(entries: readonly StandardLogEntry[], extraResource?: Readonly<Record<string, string>>): EncodedBatch {
  const w = new ProtoWriter();
  for (const group of groupByResource(entries.map(standardLogEntryToOtlpLogRecord))) {
    w.tag(1, LEN).fork(); // ExportLogsServiceRequest.resource_logs
    writeResource(w, 1, withExtraResource(group[0]!.resource, extraResource));
    w.tag(2, LEN).fork(); // ResourceLogs.scope_logs
    writeScope(w, 1, instrumentationScope);
    for (const r of group) writeLogRecord(w, r);
    w.join();
    w.join();
  }
  const bytes = w.finish();
  return { body: bytes, count: entries.length, bytes: bytes.length };
}
