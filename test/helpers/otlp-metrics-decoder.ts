/**
 * An independent decoder of OTLP metrics for tests: protobufjs loading the real OTLP `.proto` files
 * (shipped in `@opentelemetry/otlp-grpc-exporter-base@0.38.0` under `protos/`) at run time. Nothing
 * of our encoder, our ProtoWriter or the protobuf-es code generated from those files is used.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";

const require = createRequire(import.meta.url);
const protoRoot = join(dirname(require.resolve("@opentelemetry/otlp-grpc-exporter-base/package.json")), "build", "protos");

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(protoRoot, target);
root.loadSync("opentelemetry/proto/collector/metrics/v1/metrics_service.proto", { keepCase: false });
const requestType = root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");

/** A data point as plain values: attributes flattened to scalars, 64-bit integers as numbers. */
export interface DecodedPoint {
  readonly attributes: Record<string, unknown>;
  readonly startTimeUnixNano: number;
  readonly timeUnixNano: number;
  /** NumberDataPoint.as_double. */
  readonly asDouble?: number;
  /** HistogramDataPoint fields. */
  readonly count?: number;
  readonly sum?: number;
  readonly min?: number;
  readonly max?: number;
  readonly bucketCounts?: number[];
  readonly explicitBounds?: number[];
}

/** One Metric with its data kind and points, and the resource attributes it came under. */
export interface DecodedMetric {
  readonly resource: Record<string, unknown>;
  readonly scope: string;
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly kind: "gauge" | "sum" | "histogram";
  /** Sum and Histogram: 1 delta, 2 cumulative. */
  readonly temporality?: number;
  readonly isMonotonic?: boolean;
  readonly points: DecodedPoint[];
}

type Obj = Record<string, unknown>;

function attributesOf(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of (list as Obj[] | undefined) ?? []) out[kv.key as string] = anyValue(kv.value as Obj | undefined);
  return out;
}

function anyValue(v: Obj | undefined): unknown {
  if (v === undefined) return undefined;
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return v.doubleValue;
  if ("arrayValue" in v) return ((v.arrayValue as Obj).values as Obj[] | undefined)?.map(anyValue) ?? [];
  if ("kvlistValue" in v) return attributesOf((v.kvlistValue as Obj).values);
  return undefined;
}

function pointOf(p: Obj): DecodedPoint {
  const n = (x: unknown): number | undefined => (x === undefined || x === null ? undefined : Number(x));
  return {
    attributes: attributesOf(p.attributes),
    startTimeUnixNano: n(p.startTimeUnixNano) ?? 0,
    timeUnixNano: n(p.timeUnixNano) ?? 0,
    ...(p.asDouble === undefined ? {} : { asDouble: p.asDouble as number }),
    ...(p.count === undefined ? {} : { count: n(p.count)! }),
    ...(p.sum === undefined ? {} : { sum: p.sum as number }),
    ...(p.min === undefined ? {} : { min: p.min as number }),
    ...(p.max === undefined ? {} : { max: p.max as number }),
    ...(p.bucketCounts === undefined ? {} : { bucketCounts: (p.bucketCounts as unknown[]).map(Number) }),
    ...(p.explicitBounds === undefined ? {} : { explicitBounds: p.explicitBounds as number[] }),
  };
}

/** Decodes an ExportMetricsServiceRequest body into its metrics, in wire order. Throws on bytes that are not one. */
export function decodeOtlpMetrics(body: Uint8Array): DecodedMetric[] {
  const request = requestType.toObject(requestType.decode(body), { longs: String, arrays: true, oneofs: false }) as Obj;
  const out: DecodedMetric[] = [];
  for (const rm of (request.resourceMetrics as Obj[]) ?? []) {
    const resource = attributesOf((rm.resource as Obj | undefined)?.attributes);
    for (const sm of (rm.scopeMetrics as Obj[] | undefined) ?? (rm.instrumentationLibraryMetrics as Obj[] | undefined) ?? []) {
      const scope = ((sm.scope as Obj | undefined)?.name as string | undefined) ?? "";
      for (const m of (sm.metrics as Obj[]) ?? []) {
        const base = { resource, scope, name: m.name as string, unit: (m.unit as string) ?? "", description: (m.description as string) ?? "" };
        const data = (m.gauge ?? m.sum ?? m.histogram) as Obj | undefined;
        const points = ((data?.dataPoints as Obj[] | undefined) ?? []).map(pointOf);
        if (m.gauge !== undefined) out.push({ ...base, kind: "gauge", points });
        else if (m.sum !== undefined)
          out.push({ ...base, kind: "sum", temporality: data!.aggregationTemporality as number, isMonotonic: data!.isMonotonic as boolean, points });
        else if (m.histogram !== undefined) out.push({ ...base, kind: "histogram", temporality: data!.aggregationTemporality as number, points });
      }
    }
  }
  return out;
}
