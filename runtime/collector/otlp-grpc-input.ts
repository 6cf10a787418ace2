import { createServer } from "node:http2";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { ExportLogsServiceResponseSchema, LogsService } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportTraceServiceResponseSchema, TraceService } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { CollectorIntake, IncomingRecord } from "./collector-records.js";
import { listen, type RunningServer } from "./listening.js";
import { otlpLogRecords, otlpSpans } from "./otlp-decode.js";
import { loadConnect, loadConnectNode } from "../package/optional-dependencies.js";

/** Options of {@link startOtlpGrpcInput}. */
export interface OtlpGrpcInputOptions {
  readonly host: string;
  readonly port: number;
  /** Largest request message, in bytes. */
  readonly maxBodyBytes: number;
}

/** RPC paths served, for the status page. */
export const otlpGrpcMethods = Object.freeze([
  "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
  "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
]);

/**
 * Starts the OTLP/gRPC input (hop `otlpGrpc`): `TraceService/Export` and `LogsService/Export` from
 * the generated service definitions, served by connect-node over h2c (plain HTTP/2, as OTLP
 * exporters use with `http://` endpoints), gRPC protocol only, gzip accepted.
 *
 * Failure behaviour: a batch over `maxRecordsPerRequest` or `maxRecordsPerSecond` gets
 * `resource_exhausted` (counted); connect-node answers a message it cannot decode, or one larger than
 * `maxBodyBytes`, with a gRPC error status (not counted: it happens before our handler); a request
 * for another path gets 404 and counts as an error of the hop. Rejects when the port cannot be
 * bound, and with a `MissingDependencyError` when `@connectrpc/connect-node` (an optional peer
 * dependency, imported here) is not installed.
 */
export async function startOtlpGrpcInput(options: OtlpGrpcInputOptions, intake: CollectorIntake): Promise<RunningServer> {
  const { connectNodeAdapter } = await loadConnectNode();
  const { Code, ConnectError } = await loadConnect();
  const take = (records: IncomingRecord[]): void => {
    const refusal = intake.admit("otlpGrpc", records.length);
    if (refusal !== undefined) throw new ConnectError(refusal.reason, Code.ResourceExhausted);
    intake.accept({ source: "otlpGrpc", records });
  };
  const routes = (router: ConnectRouter): void => {
    router.service(TraceService, {
      export(request) {
        take(otlpSpans(request).map((record) => ({ kind: "otlpSpan", record })));
        return create(ExportTraceServiceResponseSchema);
      },
    });
    router.service(LogsService, {
      export(request) {
        take(otlpLogRecords(request).map((record) => ({ kind: "otlpLog", record })));
        return create(ExportLogsServiceResponseSchema);
      },
    });
  };
  const handler = connectNodeAdapter({
    routes,
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes: options.maxBodyBytes,
    fallback: (req, res) => {
      intake.reject("otlpGrpc", `no RPC at ${String(req.url).slice(0, 200)}`);
      res.writeHead(404);
      res.end();
    },
  });
  const server = createServer(handler);
  return listen(server, options.host, options.port, "OTLP/gRPC");
}
