import type { PartialSuccess } from "../transport.js";

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
export function decodePartialSuccess(body: Uint8Array): PartialSuccess | undefined {
  if (body.byteLength === 0) return undefined;
  try {
    let found: PartialSuccess | undefined;
    forEachField(body, (field, wireType, value) => {
      if (field === 1 && wireType === lengthDelimited) found = decodeInner(value as Uint8Array);
    });
    return found !== undefined && (found.rejected !== 0 || found.errorMessage !== "") ? found : undefined;
  } catch {
    return undefined; // not protobuf: treated as no partial success (the status code already said 2xx)
  }
}

function decodeInner(bytes: Uint8Array): PartialSuccess {
  let rejected = 0;
  let errorMessage = "";
  forEachField(bytes, (field, wireType, value) => {
    if (field === 1 && wireType === varint) rejected = Number(BigInt.asIntN(64, value as bigint));
    else if (field === 2 && wireType === lengthDelimited) errorMessage = utf8.decode(value as Uint8Array);
  });
  return { rejected, errorMessage };
}

const varint = 0;
const bit64 = 1;
const lengthDelimited = 2;
const bit32 = 5;
const utf8 = new TextDecoder();

/**
 * Calls `visit` with each field of a protobuf message: a varint as a bigint, a length-delimited
 * field as its bytes, fixed-size fields as their raw bytes. Throws `RangeError` on a truncated body,
 * an overlong varint or a group or unknown wire type (what is not protobuf).
 */
function forEachField(bytes: Uint8Array, visit: (field: number, wireType: number, value: bigint | Uint8Array) => void): void {
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= bytes.length) throw new RangeError("truncated varint");
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new RangeError("varint longer than ten bytes");
  };
  const take = (n: number): Uint8Array => {
    if (n > bytes.length - pos) throw new RangeError("truncated field");
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  while (pos < bytes.length) {
    const tag = readVarint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (field === 0) throw new RangeError("field number 0");
    if (wireType === varint) visit(field, wireType, readVarint());
    else if (wireType === lengthDelimited) visit(field, wireType, take(Number(readVarint())));
    else if (wireType === bit64) visit(field, wireType, take(8));
    else if (wireType === bit32) visit(field, wireType, take(4));
    else throw new RangeError(`wire type ${wireType}`);
  }
}
