// The spool's record codecs: the contract's own protobuf encoding, written and read by protobuf-es.
// Loaded by client-sinks only when a spool is configured (protobuf-es and the contract's file
// descriptors are most of what the client would otherwise load at import).
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { type StandardLogEntry, StandardLogEntrySchema } from "../../generated/emp/telemetry/v1/log_pb.js";
import { type StandardTraceSpan, StandardTraceSpanSchema } from "../../generated/emp/telemetry/v1/span_pb.js";
import type { SpoolCodec } from "../reliability/spool/spool-codec.js";

/** Log entries as `StandardLogEntry` protobuf bytes. */
export const logEntryCodec: SpoolCodec<StandardLogEntry> = {
  serialize: (entry) => toBinary(StandardLogEntrySchema, entry),
  deserialize: (bytes) => fromBinary(StandardLogEntrySchema, bytes),
};

/** Spans as `StandardTraceSpan` protobuf bytes. */
export const spanCodec: SpoolCodec<StandardTraceSpan> = {
  serialize: (span) => toBinary(StandardTraceSpanSchema, span),
  deserialize: (bytes) => fromBinary(StandardTraceSpanSchema, bytes),
};
