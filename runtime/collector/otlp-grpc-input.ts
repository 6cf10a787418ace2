import { createServer } from "node:http2";
import { create, type DescMessage, type DescMethod, type DescService, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import { type Empty, EmptySchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
  LogsService,
} from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  TraceService,
} from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { countOtlpItems } from "./otlp-count.js";
import type { CollectorIntake, IncomingRecord } from "./collector-records.js";
import { listen, type RunningServer } from "./listening.js";
import { otlpLogRecords, otlpSpans } from "./otlp-decode.js";
import { loadConnect, loadConnectNode } from "../package/optional-dependencies.js";

/** Options of {@link startOtlpGrpcInput}. */
export interface OtlpGrpcInputOptions {
  readonly host: string;
  readonly port: number;
  /** Largest request message, in bytes (after gunzip too); capped at {@link otlpGrpcMaxMessageBytes}. */
  readonly maxBodyBytes: number;
}

/**
 * Largest OTLP/gRPC request message taken, after decompression, in bytes: 4 MiB, the default receive
 * limit of gRPC's own servers (grpc-go, grpc-js), which OTLP exporters' batches stay under. A larger
 * message, or a gzip bomb expanding past it, is refused with `resource_exhausted` by connect-node
 * while it decompresses, before any decoding.
 */
export const otlpGrpcMaxMessageBytes = 4 * 1024 * 1024;

/**
 * `service` with every method taking `google.protobuf.Empty`: connect-node then decodes a request
 * into one unknown field per resource group (views into the body, no objects per record), and the
 * handler counts the records on the wire before decoding them (a 4 MiB request of empty spans would
 * otherwise be 2 million objects, built before any handler runs). Paths and responses are unchanged.
 */
function withRawInput<O extends DescMessage>(
  service: DescService,
  _output: O,
): GenService<{ export: { methodKind: "unary"; input: typeof EmptySchema; output: O } }> {
  const methods = service.methods.map((method) => ({ ...method, input: EmptySchema }) as DescMethod);
  const raw: DescService = { ...service, methods, method: Object.fromEntries(methods.map((method) => [method.localName, method])) };
  return raw as GenService<{ export: { methodKind: "unary"; input: typeof EmptySchema; output: O } }>;
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
 * Failure behaviour: a batch over `maxRecordsPerRequest` (counted on the wire, before decoding) or
 * `maxRecordsPerSecond` gets `resource_exhausted` (counted); connect-node answers a message it cannot
 * decode, or one larger than {@link otlpGrpcMaxMessageBytes} (or `maxBodyBytes`, if smaller) before or
 * after gunzip, with a gRPC error status (`resource_exhausted` for the size; not counted: it happens
 * before our handler); a request
 * for another path gets 404 and counts as an error of the hop. Rejects when the port cannot be
 * bound, and with a `MissingDependencyError` when `@connectrpc/connect-node` (an optional peer
 * dependency, imported here) is not installed.
 */
export async function startOtlpGrpcInput(options: OtlpGrpcInputOptions, intake: CollectorIntake): Promise<RunningServer> {
  const { connectNodeAdapter } = await loadConnectNode();
  const { Code, ConnectError } = await loadConnect();
  const admit = (count: number): void => {
    const refusal = intake.admit("otlpGrpc", count);
    if (refusal !== undefined) throw new ConnectError(refusal.reason, Code.ResourceExhausted);
  };
  /** The request's bytes, its records counted (and admitted) before they are decoded. */
  const counted = (request: Empty): { readonly bytes: Uint8Array; readonly admitted: boolean } => {
    const bytes = toBinary(EmptySchema, request);
    const count = countOtlpItems(bytes, intake.maxRecordsPerRequest);
    if (count !== undefined) admit(Math.max(count.records, count.groups));
    return { bytes, admitted: count !== undefined };
  };
  const take = (records: IncomingRecord[], admitted: boolean): void => {
    if (!admitted) admit(records.length);
    intake.accept({ source: "otlpGrpc", records });
  };
  const routes = (router: ConnectRouter): void => {
    router.service(withRawInput(TraceService, ExportTraceServiceResponseSchema), {
      export(request: Empty) {
        const { bytes, admitted } = counted(request);
        take(
          otlpSpans(fromBinary(ExportTraceServiceRequestSchema, bytes)).map((record) => ({ kind: "otlpSpan", record })),
          admitted,
        );
        return create(ExportTraceServiceResponseSchema);
      },
    });
    router.service(withRawInput(LogsService, ExportLogsServiceResponseSchema), {
      export(request: Empty) {
        const { bytes, admitted } = counted(request);
        take(
          otlpLogRecords(fromBinary(ExportLogsServiceRequestSchema, bytes)).map((record) => ({ kind: "otlpLog", record })),
          admitted,
        );
        return create(ExportLogsServiceResponseSchema);
      },
    });
  };
  const handler = connectNodeAdapter({
    routes,
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes: Math.min(options.maxBodyBytes, otlpGrpcMaxMessageBytes),
    fallback: (req, res) => {
      intake.reject("otlpGrpc", `no RPC at ${String(req.url).slice(0, 200)}`);
      res.writeHead(404);
      res.end();
    },
  });
  const server = createServer(handler);
  return listen(server, options.host, options.port, "OTLP/gRPC");
}
