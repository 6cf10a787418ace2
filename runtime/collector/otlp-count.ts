/**
 * Counts, without decoding, the items of an OTLP `Export{Logs,Trace,Metrics}ServiceRequest` in protobuf
 * wire format — logs and traces have the same shape: field 1 resource groups, each with field 2 scope groups,
 * each with field 2 log records or spans ({@link otlpRecordsShape}); metrics go two levels deeper, to the
 * data points ({@link otlpMetricPointsShape}) — so a request carrying more than the collector takes is
 * refused before protobuf-es builds millions of objects. Stops as soon as either count passes
 * `limit`.
 */
export interface OtlpItemCount {
  /** Log records, spans or metric data points. */
  readonly records: number;
  /** Resource and scope groups around them. */
  readonly groups: number;
}

class Over extends Error {}

/** The field numbers followed at each depth of a request; the last depth's fields are the items counted. */
export type OtlpShape = readonly ReadonlySet<number>[];

/** `Export{Logs,Trace}ServiceRequest`: resource groups (1), scope groups (2), log records or spans (2). */
export const otlpRecordsShape: OtlpShape = Object.freeze([new Set([1]), new Set([2]), new Set([2])]);

/**
 * `ExportMetricsServiceRequest`: resource groups (1), scope groups (2), metrics (2), the metric's data
 * (gauge 5, sum 7, histogram 9, exponential histogram 10, summary 11), its data points (1).
 */
export const otlpMetricPointsShape: OtlpShape = Object.freeze([new Set([1]), new Set([2]), new Set([2]), new Set([5, 7, 9, 10, 11]), new Set([1])]);

/**
 * The counts, each at most `limit + 1`; `undefined` when the bytes are not well-formed protobuf
 * (the decoder then says why).
 */
export function countOtlpItems(bytes: Uint8Array, limit: number, shape: OtlpShape = otlpRecordsShape): OtlpItemCount | undefined {
  const counts = { records: 0, groups: 0 };
  try {
    scan(bytes, 0, bytes.length, 0, { counts, limit, shape });
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

interface Scan {
  readonly counts: { records: number; groups: number };
  readonly limit: number;
  readonly shape: OtlpShape;
}

/** Walks one message from `start` to `end` at `depth` (0 request, 1 resource group, 2 scope group, …). */
function scan(bytes: Uint8Array, start: number, end: number, depth: number, state: Scan): void {
  const { counts, limit, shape } = state;
  const last = shape.length - 1;
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
      const wanted = shape[depth]?.has(field) === true;
      if (wanted && depth === last) {
        if (++counts.records > limit) throw new Over();
      } else if (wanted) {
        if (++counts.groups > limit) throw new Over();
        scan(bytes, from, from + length, depth + 1, state);
      }
    } else throw new RangeError(`wire type ${wire}`);
    if (pos.at > end) throw new RangeError("truncated field");
  }
}
