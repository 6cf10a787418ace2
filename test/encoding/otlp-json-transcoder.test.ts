// otlpJsonFromProtobuf: a protobuf encoder's batch rewritten as OTLP/JSON (the route for metrics),
// checked against OTLP's JSON mapping and against the protobuf it came from.
import { create, fromBinary, fromJsonString, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExportMetricsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { otlpJsonFromProtobuf } from "../../runtime/encoding/otlp-json-transcoder.js";
import type { EncodedBatch } from "../../runtime/transports/transport.js";
import { jsonMappingProblems } from "../helpers/otlp-json-mapping.js";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const spanId = "00f067aa0ba902b7";

/** A protobuf "encoder" of metrics: a cumulative monotonic sum (int) and a histogram with an exemplar. */
function encodeMetrics(points: number[]): EncodedBatch {
  const sum = {
    name: "jobs.completed",
    unit: "{job}",
    data: {
      case: "sum" as const,
      value: {
        aggregationTemporality: 2,
        isMonotonic: true,
        dataPoints: points.map((p) => ({ timeUnixNano: 1_700_000_000_000_000_000n, value: { case: "asInt" as const, value: BigInt(p) } })),
      },
    },
  };
  const exemplar = {
    timeUnixNano: 1_700_000_000_000_000_000n,
    value: { case: "asDouble" as const, value: 0.5 },
    traceId: Buffer.from(traceId, "hex"),
    spanId: Buffer.from(spanId, "hex"),
  };
  const histogram = {
    name: "job.duration",
    unit: "s",
    data: {
      case: "histogram" as const,
      value: { aggregationTemporality: 1, dataPoints: [{ count: 3n, sum: 1.5, bucketCounts: [1n, 2n], explicitBounds: [1], exemplars: [exemplar] }] },
    },
  };
  const request = create(ExportMetricsServiceRequestSchema, { resourceMetrics: [{ scopeMetrics: [{ metrics: [sum, histogram] }] }] });
  const body = toBinary(ExportMetricsServiceRequestSchema, request);
  return { body, count: points.length + 1, bytes: body.byteLength };
}

describe("otlpJsonFromProtobuf", () => {
  const encodeJson = otlpJsonFromProtobuf(ExportMetricsServiceRequestSchema, encodeMetrics);

  it("writes OTLP/JSON: hex exemplar ids, temporality as an integer, int64 values as strings", () => {
    const batch = encodeJson([5, 7]);
    const request = JSON.parse(Buffer.from(batch.body).toString("utf8"));
    expect(jsonMappingProblems(request)).toEqual([]);
    const [sum, histogram] = request.resourceMetrics[0].scopeMetrics[0].metrics;
    expect(sum.sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    expect(sum.sum.dataPoints.map((p: { asInt: string }) => p.asInt)).toEqual(["5", "7"]);
    expect(histogram.histogram.dataPoints[0].exemplars[0]).toMatchObject({ traceId, spanId });
    expect(batch).toMatchObject({ count: 3, bytes: batch.body.byteLength });
  });

  it("carries exactly what the protobuf batch carries", () => {
    const text = Buffer.from(encodeJson([5]).body).toString("utf8");
    const base64Ids = text.replace(traceId, Buffer.from(traceId, "hex").toString("base64")).replace(spanId, Buffer.from(spanId, "hex").toString("base64"));
    const fromJson = fromJsonString(ExportMetricsServiceRequestSchema, base64Ids);
    const fromProto = fromBinary(ExportMetricsServiceRequestSchema, encodeMetrics([5]).body);
    expect(toJson(ExportMetricsServiceRequestSchema, fromJson)).toEqual(toJson(ExportMetricsServiceRequestSchema, fromProto));
  });
});
