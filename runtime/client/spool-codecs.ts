// What the spool needs protobuf-es for: reading records back (`fromBinary` with the contract's
// schemas). Imported by `lazy-spool-codec.ts` only when a spool is configured: protobuf-es and the
// contract's file descriptors are most of what the client would otherwise load at import.
import { fromBinary } from "@bufbuild/protobuf";
import { type StandardLogEntry, StandardLogEntrySchema } from "../../generated/emp/telemetry/v1/log_pb.js";
import { type StandardTraceSpan, StandardTraceSpanSchema } from "../../generated/emp/telemetry/v1/span_pb.js";

/** A log entry from its protobuf bytes. */
export const logEntryFromBinary = (bytes: Uint8Array): StandardLogEntry => fromBinary(StandardLogEntrySchema, bytes);

/** A span from its protobuf bytes. */
export const spanFromBinary = (bytes: Uint8Array): StandardTraceSpan => fromBinary(StandardTraceSpanSchema, bytes);
