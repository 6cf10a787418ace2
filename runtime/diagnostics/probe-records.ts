import { randomBytes } from "node:crypto";
import type { PlainRecord } from "../../generated/emp/telemetry/v1/contract_support.js";
import { buildStandardLogEntry, standardLogEntryToFluentRecord } from "../../generated/emp/telemetry/v1/log_contract.js";
import { LogLevel, type StandardLogEntry } from "../../generated/emp/telemetry/v1/log_pb.js";
import type { ServiceMetadata } from "../../generated/emp/telemetry/v1/service_pb.js";
import { buildStandardTraceSpan } from "../../generated/emp/telemetry/v1/span_contract.js";
import { SpanKind } from "../../generated/emp/telemetry/v1/span_pb.js";
import { serviceMetadataFromConfig } from "../config/service-metadata.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { encodeOtlpLogs } from "../encoding/otlp-log-encoder.js";
import { encodeOtlpSpans } from "../encoding/otlp-span-encoder.js";

import { probeIdKey } from "../records/probe-key.js";

export { probeIdKey };

/** Message of every probe log record. */
export const probeMessage = "emp-telemetry pipeline probe";

/** The service metadata every probe carries, from the config. */
export function probeService(config: TelemetryConfig): ServiceMetadata {
  return serviceMetadataFromConfig(config);
}

/**
 * The probe as a contract log entry: INFO, {@link probeMessage}, data `{ emp.health.probe_id: id }`,
 * the service's metadata. The same record every sink would send, so the collector's contract check
 * passes it.
 */
export function probeLogEntry(config: TelemetryConfig, probeId: string, nowMs: number): StandardLogEntry {
  return buildStandardLogEntry({
    timeUnixNano: BigInt(nowMs) * 1_000_000n,
    level: LogLevel.INFO,
    message: probeMessage,
    service: probeService(config),
    data: { [probeIdKey]: { kind: { case: "stringValue", value: probeId } } },
  });
}

/** The probe as a Fluentd record (the contract's Fluentd keys; the id under {@link probeIdKey}). */
export function probeFluentRecord(config: TelemetryConfig, probeId: string, nowMs: number): PlainRecord {
  return standardLogEntryToFluentRecord(probeLogEntry(config, probeId, nowMs));
}

/** The probe as an OTLP `ExportLogsServiceRequest` with one log record (protobuf bytes). */
export function probeLogExport(config: TelemetryConfig, probeId: string, nowMs: number): Uint8Array {
  return encodeOtlpLogs([probeLogEntry(config, probeId, nowMs)]).body;
}

/** The probe as an OTLP `ExportTraceServiceRequest` with one 1 µs internal span `emp.health.probe` (protobuf bytes). */
export function probeSpanExport(config: TelemetryConfig, probeId: string, nowMs: number): Uint8Array {
  const start = BigInt(nowMs) * 1_000_000n;
  const span = buildStandardTraceSpan({
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    name: "emp.health.probe",
    kind: SpanKind.INTERNAL,
    service: probeService(config),
    startTimeUnixNano: start,
    endTimeUnixNano: start + 1000n,
    attributes: { [probeIdKey]: { kind: { case: "stringValue", value: probeId } } },
  });
  return encodeOtlpSpans([span]).body;
}
