/**
 * An OTLP/HTTP protobuf receiver for tests, built on the scripted HTTP receiver: it decodes
 * `/v1/traces` and `/v1/logs` bodies with the protobuf-es schemas generated from the real OTLP protos
 * (an independent decoder: nothing of OTel JS or of our transport is used), and can answer with
 * scripted statuses, Retry-After, delays, resets and `partial_success`.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { ExportLogsServiceRequestSchema, type ExportLogsServiceRequest } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportTraceServiceRequestSchema, type ExportTraceServiceRequest } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { AnyValue, KeyValue } from "../../generated/opentelemetry/proto/common/v1/common_pb.js";
import { startScriptedHttpReceiver, type ReceivedHttpRequest, type ScriptedHttpReceiver, type ScriptedResponse } from "./scripted-http-receiver.js";

export type { ScriptedResponse } from "./scripted-http-receiver.js";

export interface OtlpReceiver extends ScriptedHttpReceiver {
  /** Decoded trace export requests, in arrival order. */
  traces(): ExportTraceServiceRequest[];
  /** Decoded log export requests, in arrival order. */
  logs(): ExportLogsServiceRequest[];
}

/** Starts a receiver answering 200 with an empty protobuf body unless scripted otherwise. */
export async function startOtlpReceiver(respond?: (request: ReceivedHttpRequest) => ScriptedResponse): Promise<OtlpReceiver> {
  const http = await startScriptedHttpReceiver(respond ?? (() => ({ status: 200, headers: { "content-type": "application/x-protobuf" } })));
  return Object.assign(http, {
    traces: () => http.requests.filter((r) => r.path === "/v1/traces").map((r) => fromBinary(ExportTraceServiceRequestSchema, r.body)),
    logs: () => http.requests.filter((r) => r.path === "/v1/logs").map((r) => fromBinary(ExportLogsServiceRequestSchema, r.body)),
  });
}

/**
 * Encodes an Export*ServiceResponse with `partial_success { rejected = 1; error_message = 2 }` by hand
 * (the generated 0.19 protos lack the field; numbers are those of OTLP ≥ 0.20 for every signal).
 */
export function partialSuccessBody(rejected: number, errorMessage: string): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).fork();
  writer.tag(1, WireType.Varint).int64(rejected);
  writer.tag(2, WireType.LengthDelimited).string(errorMessage);
  writer.join();
  return writer.finish();
}

/** The attributes as a plain object of their scalar values. */
export function attributesOf(attributes: readonly KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map((kv) => [kv.key, scalar(kv.value)]));
}

function scalar(value: AnyValue | undefined): unknown {
  const v = value?.value;
  if (v === undefined) return undefined;
  if (v.case === "intValue") return Number(v.value);
  if (v.case === "arrayValue") return v.value.values.map(scalar);
  if (v.case === "kvlistValue") return attributesOf(v.value.values);
  return v.value;
}

/** Lower-case hex of bytes (trace and span ids). */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
