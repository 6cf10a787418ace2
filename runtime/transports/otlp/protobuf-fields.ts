// Reading the few protobuf fields a transport needs (a response's partial_success, a gRPC status'
// RetryInfo, the top-level fields of an encoded request) straight from the wire format, without a
// descriptor: the OTLP protos we generate from predate partial_success, and google.rpc is not generated.

/** Protobuf wire types. */
export const wireVarint = 0;
export const wireBit64 = 1;
export const wireLengthDelimited = 2;
export const wireBit32 = 5;

/**
 * One field of a message as protobuf-es keeps an unknown field: its number, wire type and the bytes
 * after its tag (for a length-delimited field, the length prefix included).
 */
export interface RawField {
  readonly no: number;
  readonly wireType: number;
  readonly data: Uint8Array;
}

/**
 * Calls `visit` with each field of a protobuf message: a varint as a bigint, a length-delimited
 * field as its bytes, fixed-size fields as their raw bytes; `raw` is the field's bytes after its tag.
 * Throws `RangeError` on a truncated body, an overlong varint or a group or unknown wire type (what is not protobuf).
 */
export function forEachField(bytes: Uint8Array, visit: (field: number, wireType: number, value: bigint | Uint8Array, raw: Uint8Array) => void): void {
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
    const start = pos;
    let value: bigint | Uint8Array;
    if (wireType === wireVarint) value = readVarint();
    else if (wireType === wireLengthDelimited) value = take(Number(readVarint()));
    else if (wireType === wireBit64) value = take(8);
    else if (wireType === wireBit32) value = take(4);
    else throw new RangeError(`wire type ${wireType}`);
    visit(field, wireType, value, bytes.subarray(start, pos));
  }
}

/**
 * The top-level fields of an encoded message, each as protobuf-es keeps an unknown field (views into
 * `bytes`, nothing copied). A message with these as its `$unknown` writes exactly `bytes` again.
 * Throws `RangeError` when `bytes` is not protobuf.
 */
export function rawFields(bytes: Uint8Array): RawField[] {
  const fields: RawField[] = [];
  forEachField(bytes, (no, wireType, _value, data) => fields.push({ no, wireType, data }));
  return fields;
}
