/**
 * Counts, without decoding, the items of an OTLP `Export{Logs,Trace}ServiceRequest` in protobuf
 * wire format — both have the same shape: field 1 resource groups, each with field 2 scope groups,
 * each with field 2 log records or spans — so a request carrying more than the collector takes is
 * refused before protobuf-es builds millions of objects. Stops as soon as either count passes
 * `limit`.
 */
export interface OtlpItemCount {
  /** Log records or spans. */
  readonly records: number;
  /** Resource and scope groups around them. */
  readonly groups: number;
}

class Over extends Error {}

/**
 * The counts, each at most `limit + 1`; `undefined` when the bytes are not well-formed protobuf
 * (the decoder then says why).
 */
export function countOtlpItems(bytes: Uint8Array, limit: number): OtlpItemCount | undefined {
  const counts = { records: 0, groups: 0 };
  try {
    scan(bytes, 0, bytes.length, 0, counts, limit);
  } catch (e: unknown) {
    if (e instanceof Over) return counts;
    return undefined;
  }
  return counts;
}

function varint(bytes: Uint8Array, pos: { at: number }, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos.at >= end) throw new RangeError("truncated varint");
    const b = bytes[pos.at++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 128;
  }
  throw new RangeError("varint too long");
}

/** Walks one message from `start` to `end` at `depth` (0 request, 1 resource group, 2 scope group). */
function scan(bytes: Uint8Array, start: number, end: number, depth: number, counts: { records: number; groups: number }, limit: number): void {
  const pos = { at: start };
  while (pos.at < end) {
    const tag = varint(bytes, pos, end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) varint(bytes, pos, end);
    else if (wire === 1 || wire === 5) pos.at += wire === 1 ? 8 : 4;
    else if (wire === 2) {
      const length = varint(bytes, pos, end);
      const from = pos.at;
      pos.at += length;
      if (pos.at > end) throw new RangeError("truncated field");
      const wanted = depth === 0 ? field === 1 : field === 2;
      if (wanted && depth === 2) {
        if (++counts.records > limit) throw new Over();
      } else if (wanted) {
        if (++counts.groups > limit) throw new Over();
        scan(bytes, from, from + length, depth + 1, counts, limit);
      }
    } else throw new RangeError(`wire type ${wire}`);
    if (pos.at > end) throw new RangeError("truncated field");
  }
}
