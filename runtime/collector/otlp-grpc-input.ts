import { createServer } from "node:http2";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter, ContextKey, HandlerContext } from "@connectrpc/connect";
import { ExportLogsServiceResponseSchema, LogsService } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportMetricsServiceResponseSchema, MetricsService } from "../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { ExportTraceServiceResponseSchema, TraceService } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { CollectorIntake, IncomingRecord } from "./collector-records.js";
import { createScreenedGrpcHandler, type ScreenState } from "./grpc-request-screen.js";
import { listen, type RunningServer } from "./listening.js";
import { countOtlpItems, otlpRequestShapes } from "./otlp-count.js";
import { otlpLogRecords, otlpMetricPointCount, otlpSpans } from "./otlp-decode.js";
import { loadConnect } from "../package/optional-dependencies.js";

/** Options of {@link startOtlpGrpcInput}. */
export interface OtlpGrpcInputOptions {
  readonly host: string;
  readonly port: number;
  /** Largest request message, in bytes, compressed and once decompressed. */
  readonly maxBodyBytes: number;
}

/** RPC paths served, for the status page. */
export const otlpGrpcMethods = Object.freeze([
  "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
  "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
  "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
]);

const metricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
const tracesPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

/**
 * Starts the OTLP/gRPC input (hop `otlpGrpc`): `TraceService/Export`, `LogsService/Export` and
 * `MetricsService/Export` from the generated service definitions, served by connect-node over h2c
 * (plain HTTP/2, as OTLP exporters use with `http://` endpoints), gRPC protocol only, gzip accepted.
 * Spans and log records are stored; metric data points are counted (`counts.metricPoints`, the hop's
 * records), not stored.
 *
 * Each request is read before connect-node decodes it ({@link createScreenedGrpcHandler}): a message
 * over `maxBodyBytes`, compressed or once decompressed (the OTLP/HTTP input's bound), is refused with
 * RESOURCE_EXHAUSTED as soon as that is known, and its records (or data points, and the groups around
 * them, and their nested items against `maxItemsPerRequest`) are counted on the wire and admitted before
 * protobuf-es builds them, as the OTLP/HTTP input does; a message that is not well-formed protobuf gets
 * INVALID_ARGUMENT before decoding.
 *
 * Failure behaviour: a batch over `maxRecordsPerRequest` or `maxRecordsPerSecond` gets
 * `resource_exhausted` (counted); connect-node answers a message it cannot decode, or one larger than
 * `maxBodyBytes`, with a gRPC error status (not counted: it happens before our handler); a request
 * for another path gets 404 and counts as an error of the hop. Rejects when the port cannot be
 * bound, and with a `MissingDependencyError` when `@connectrpc/connect-node` (an optional peer
 * dependency, imported here) is not installed.
 */
export async function startOtlpGrpcInput(options: OtlpGrpcInputOptions, intake: CollectorIntake): Promise<RunningServer> {
  const { Code, ConnectError } = await loadConnect();
  const admit = (count: number, items = 0): void => {
    const refusal = intake.admit("otlpGrpc", count, items);
    if (refusal !== undefined) throw new ConnectError(refusal.reason, Code.ResourceExhausted);
  };
  const take = (records: IncomingRecord[], context: HandlerContext, screened: ContextKey<ScreenState>): void => {
    if (!context.values.get(screened).admitted) admit(records.length);
    intake.accept({ source: "otlpGrpc", records });
  };
  const routes = (router: ConnectRouter, screened: ContextKey<ScreenState>): void => {
    router.service(TraceService, {
      export(request, context) {
        take(
          otlpSpans(request).map((record) => ({ kind: "otlpSpan", record })),
          context,
          screened,
        );
        return create(ExportTraceServiceResponseSchema);
      },
    });
    router.service(LogsService, {
      export(request, context) {
        take(
          otlpLogRecords(request).map((record) => ({ kind: "otlpLog", record })),
          context,
          screened,
        );
        return create(ExportLogsServiceResponseSchema);
      },
    });
    router.service(MetricsService, {
      export(request, context) {
        const points = otlpMetricPointCount(request);
        if (!context.values.get(screened).admitted) admit(points);
        intake.acceptMetricPoints?.("otlpGrpc", points);
        return create(ExportMetricsServiceResponseSchema);
      },
    });
  };
  const limits = { records: intake.maxRecordsPerRequest, items: intake.maxItemsPerRequest };
  const count = (path: string, message: Uint8Array): { records: number; items: number } => {
    const { metrics, traces, logs } = otlpRequestShapes;
    const counted = countOtlpItems(message, limits, path === metricsPath ? metrics : path === tracesPath ? traces : logs);
    if ("malformed" in counted) throw new ConnectError(`request does not decode: ${counted.malformed}`, Code.InvalidArgument);
    return { records: Math.max(counted.records, counted.groups), items: counted.items };
  };
  const handler = await createScreenedGrpcHandler({
    readMaxBytes: options.maxBodyBytes,
    count,
    admit,
    routes,
    fallback: (req, res) => {
      intake.reject("otlpGrpc", `no RPC at ${String(req.url).slice(0, 200)}`);
      res.writeHead(404);
      res.end();
    },
  });
  const server = createServer(handler);
  return listen(server, options.host, options.port, "OTLP/gRPC");
}
