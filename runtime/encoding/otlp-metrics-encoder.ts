import { metricKindValues } from "../../generated/emp/telemetry/v1/metric_contract.js";
import { serviceMetadataToAttributes } from "../../generated/emp/telemetry/v1/service_contract.js";
import { valueToPlain } from "../../generated/emp/telemetry/v1/value_contract.js";
import type { PlainRecord, StandardMetric } from "../../generated/index.js";
import type { EncodedBatch } from "../transports/transport.js";
import { groupBy, groupByResource, instrumentationScope } from "./otlp-log-encoder.js";
import { withExtraResource, writeKeyValues, writeResource, writeScope } from "./otlp-values.js";
import { ProtoWriter, WireType } from "../wire/proto-writer.js";

const LEN = WireType.LengthDelimited;
const I64 = WireType.Bit64;

/** A point with its resource as OTLP attributes, for grouping. */
interface ResourcePoint {
  readonly resource: PlainRecord;
  readonly point: StandardMetric;
}

function attributesOf(point: StandardMetric): PlainRecord {
  const out: PlainRecord = {};
  for (const key of Object.keys(point.attributes)) out[key] = valueToPlain(point.attributes[key]!);
  return out;
}

/** NumberDataPoint (gauge and sum): attributes 7, start 2, time 3, as_double 4. */
function writeNumberPoint(w: ProtoWriter, p: StandardMetric): void {
  w.tag(1, LEN).fork(); // Gauge/Sum.data_points
  writeKeyValues(w, 7, attributesOf(p));
  if (p.startTimeUnixNano !== 0n) w.tag(2, I64).fixed64(p.startTimeUnixNano);
  w.tag(3, I64).fixed64(p.timeUnixNano);
  w.tag(4, I64).double(p.value);
  w.join();
}

/** HistogramDataPoint: attributes 9, start 2, time 3, count 4, sum 5, bucket_counts 6, explicit_bounds 7, min 11, max 12. */
function writeHistogramPoint(w: ProtoWriter, p: StandardMetric): void {
  const h = p.histogram;
  w.tag(1, LEN).fork(); // Histogram.data_points
  writeKeyValues(w, 9, attributesOf(p));
  if (p.startTimeUnixNano !== 0n) w.tag(2, I64).fixed64(p.startTimeUnixNano);
  w.tag(3, I64).fixed64(p.timeUnixNano);
  if (h !== undefined) {
    w.tag(4, I64).fixed64(h.count);
    w.tag(5, I64).double(h.sum);
    w.tag(6, LEN).fork();
    for (const n of h.bucketCounts) w.fixed64(n);
    w.join();
    w.tag(7, LEN).fork();
    for (const b of h.explicitBounds) w.double(b);
    w.join();
    if (h.count > 0n) w.tag(11, I64).double(h.min).tag(12, I64).double(h.max);
  }
  w.join();
}

/** One Metric (ScopeMetrics.metrics) with its points: a Gauge (5), a monotonic Sum (7) or a Histogram (9). */
function writeMetric(w: ProtoWriter, points: readonly StandardMetric[]): void {
  const first = points[0]!;
  w.tag(2, LEN).fork(); // ScopeMetrics.metrics
  w.tag(1, LEN).string(first.name);
  if (first.description !== "") w.tag(2, LEN).string(first.description);
  if (first.unit !== "") w.tag(3, LEN).string(first.unit);
  if (first.kind === metricKindValues.GAUGE) {
    w.tag(5, LEN).fork();
    for (const p of points) writeNumberPoint(w, p);
  } else if (first.kind === metricKindValues.COUNTER) {
    w.tag(7, LEN).fork();
    for (const p of points) writeNumberPoint(w, p);
    w.tag(2, WireType.Varint).int32(first.temporality).tag(3, WireType.Varint).bool(true);
  } else {
    w.tag(9, LEN).fork();
    for (const p of points) writeHistogramPoint(w, p);
    w.tag(2, WireType.Varint).int32(first.temporality);
  }
  w.join();
  w.join();
}

/** Groups points by instrument (name, kind, unit, temporality), keeping the first point's order. */
function groupByInstrument(points: readonly ResourcePoint[]): StandardMetric[][] {
  const keyOf = ({ point }: ResourcePoint): string => `${point.name}\u0000${String(point.kind)}\u0000${point.unit}\u0000${String(point.temporality)}`;
  return groupBy(points, keyOf).map((group) => group.map(({ point }) => point));
}

/**
 * Encodes metric points as one OTLP `ExportMetricsServiceRequest` (protobuf): points of one service
 * under one resource, points of one instrument under one Metric (a monotonic Sum for counters, a
 * Gauge, an explicit-bucket Histogram), values as doubles. Runs once per batch, at export, off the call path.
 */
export function encodeOtlpMetrics(points: readonly StandardMetric[], extraResource?: Readonly<Record<string, string>>): EncodedBatch {
  const w = new ProtoWriter();
  const withResource = points.map((point) => ({ resource: point.service === undefined ? {} : serviceMetadataToAttributes(point.service), point }));
  for (const group of groupByResource(withResource)) {
    w.tag(1, LEN).fork(); // ExportMetricsServiceRequest.resource_metrics
    writeResource(w, 1, withExtraResource(group[0]!.resource, extraResource));
    w.tag(2, LEN).fork(); // ResourceMetrics.scope_metrics
    writeScope(w, 1, instrumentationScope);
    for (const metric of groupByInstrument(group)) writeMetric(w, metric);
    w.join();
    w.join();
  }
  const bytes = w.finish();
  return { body: bytes, count: points.length, bytes: bytes.length };
}
