import { standardLogEntryToOtlpLogRecord } from "../../generated/emp/telemetry/v1/log_contract.js";
import type { OtlpLogRecord, StandardLogEntry } from "../../generated/index.js";
import type { EncodedBatch } from "../transports/transport.js";
import { groupByResource, instrumentationScope } from "./otlp-log-encoder.js";
import { withExtraResource } from "./otlp-values.js";
import { jsonKeyValues, jsonNanos } from "./otlp-json-values.js";
import { wellFormedJson } from "./well-formed-json.js";

/** A log record in OTLP/JSON, the fields the protobuf encoder writes (ids hex, severity as an integer). */
function jsonLogRecord(r: OtlpLogRecord): Record<string, unknown> {
  const time = jsonNanos(r.timeUnixNano);
  const record: Record<string, unknown> = { timeUnixNano: time };
  if (r.severityNumber !== 0) record.severityNumber = r.severityNumber;
  if (r.severityText !== "") record.severityText = r.severityText;
  record.body = { stringValue: r.body };
  record.attributes = jsonKeyValues(r.attributes);
  if (r.traceFlags !== 0) record.flags = r.traceFlags;
  if (r.traceId !== "") record.traceId = r.traceId;
  if (r.spanId !== "") record.spanId = r.spanId;
  record.observedTimeUnixNano = time;
  return record;
}

/**
 * Encodes log entries as one OTLP `ExportLogsServiceRequest` in OTLP/JSON (`application/json`, for
 * `http/json`): the same resources, scope and fields as {@link encodeOtlpLogs} writes in protobuf, with
 * the JSON mapping's keys, hex ids, integer severities and 64-bit times as strings. Runs once per batch, off the call path.
 */
export function encodeOtlpLogsJson(entries: readonly StandardLogEntry[], extraResource?: Readonly<Record<string, string>>): EncodedBatch {
  const resourceLogs = groupByResource(entries.map(standardLogEntryToOtlpLogRecord)).map((group) => ({
    resource: { attributes: jsonKeyValues(withExtraResource(group[0]!.resource, extraResource)) },
    scopeLogs: [{ scope: instrumentationScope, logRecords: group.map(jsonLogRecord) }],
  }));
  const body = Buffer.from(wellFormedJson({ resourceLogs }), "utf8");
  return { body, count: entries.length, bytes: body.byteLength };
}
