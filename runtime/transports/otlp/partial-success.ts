import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/**
 * The `partial_success` of an OTLP Export*ServiceResponse: how many items (spans, log records or
 * data points) the receiver rejected, and why. Items not counted here were accepted.
 */
export interface OtlpPartialSuccess {
  /** `rejected_spans` / `rejected_log_records` / `rejected_data_points` (int64, as a number). */
  readonly rejected: number;
  /** `error_message`, possibly empty. */
  readonly errorMessage: string;
}

/**
 * Reads `partial_success` (field 1) from a protobuf-encoded Export{Trace,Logs,Metrics}ServiceResponse.
 *
 * The OTLP protos we generate from (v0.19, shipped in `@opentelemetry/otlp-grpc-exporter-base` 0.38)
 * predate `partial_success` (added in OTLP 0.20 / proto 1.0), so this decodes the wire format by hand:
 * `ExportXPartialSuccess { int64 rejected_<items> = 1; string error_message = 2; }`, the same field
 * numbers for all three signals.
 *
 * Returns `undefined` when the body is empty, has no field 1, or both sub-fields are default (the
 * specification says such a response is a full success). Never throws: a body that is not protobuf
 * (e.g. a JSON or HTML answer from a proxy) also gives `undefined`.
 */
export function decodePartialSuccess(body: Uint8Array): OtlpPartialSuccess | undefined {
  if (body.byteLength === 0) return undefined;
  try {
    const reader = new BinaryReader(body);
    let found: OtlpPartialSuccess | undefined;
    while (reader.pos < reader.len) {
      const [field, wireType] = reader.tag();
      if (field === 1 && wireType === WireType.LengthDelimited) found = decodeInner(reader.bytes());
      else reader.skip(wireType, field);
    }
    return found !== undefined && (found.rejected !== 0 || found.errorMessage !== "") ? found : undefined;
  } catch {
    return undefined; // not protobuf: treated as no partial success (the status code already said 2xx)
  }
}

function decodeInner(bytes: Uint8Array): OtlpPartialSuccess {
  const reader = new BinaryReader(bytes);
  let rejected = 0;
  let errorMessage = "";
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.Varint) rejected = Number(reader.int64());
    else if (field === 2 && wireType === WireType.LengthDelimited) errorMessage = reader.string();
    else reader.skip(wireType, field);
  }
  return { rejected, errorMessage };
}
