import { create, toBinary } from "@bufbuild/protobuf";
import type { StandardLogEntry } from "../../generated/index.js";
import { standardLogEntryToOtlpLogRecord } from "../../generated/emp/telemetry/v1/log_contract.js";
import { ExportLogsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import type { ResourceLogs } from "../../generated/opentelemetry/proto/logs/v1/logs_pb.js";
import type { EncodedBatch } from "../transports/transport.js";
import { hexToBytes, toKeyValues } from "./otlp-values.js";

/** Instrumentation scope our records carry. */
export const instrumentationScope = Object.freeze({ name: "@emp/telemetry", version: "0.1.0" });

/**
 * Encodes log entries as one OTLP `ExportLogsServiceRequest` (protobuf), entries of the same service
 * under one resource, each field in the OTLP slot the contract gives it. Runs once per batch, off
 * the call path. `tag` is unused by OTLP transports and kept for accounting.
 */
export function encodeOtlpLogs(entries: readonly StandardLogEntry[]): EncodedBatch {
  const byResource = new Map<string, ResourceLogs>();
  const resourceLogs: ResourceLogs[] = [];
  for (const entry of entries) {
    const r = standardLogEntryToOtlpLogRecord(entry);
    const key = JSON.stringify(r.resource);
    let group = byResource.get(key);
    if (group === undefined) {
      group = {
        $typeName: "opentelemetry.proto.logs.v1.ResourceLogs",
        resource: { $typeName: "opentelemetry.proto.resource.v1.Resource", attributes: toKeyValues(r.resource), droppedAttributesCount: 0 },
        scopeLogs: [
          {
            $typeName: "opentelemetry.proto.logs.v1.ScopeLogs",
            scope: { $typeName: "opentelemetry.proto.common.v1.InstrumentationScope", ...instrumentationScope },
            logRecords: [],
            schemaUrl: "",
          },
        ],
        instrumentationLibraryLogs: [],
        schemaUrl: "",
      };
      byResource.set(key, group);
      resourceLogs.push(group);
    }
    group.scopeLogs[0]!.logRecords.push({
      $typeName: "opentelemetry.proto.logs.v1.LogRecord",
      timeUnixNano: r.timeUnixNano,
      observedTimeUnixNano: r.timeUnixNano,
      severityNumber: r.severityNumber,
      severityText: r.severityText,
      body: { $typeName: "opentelemetry.proto.common.v1.AnyValue", value: { case: "stringValue", value: r.body } },
      attributes: toKeyValues(r.attributes),
      droppedAttributesCount: 0,
      flags: r.traceFlags,
      traceId: hexToBytes(r.traceId),
      spanId: hexToBytes(r.spanId),
    });
  }
  const bytes = toBinary(ExportLogsServiceRequestSchema, create(ExportLogsServiceRequestSchema, { resourceLogs }));
  return { tag: "otlp.logs", entries: bytes, count: entries.length, bytes: bytes.length };
}
