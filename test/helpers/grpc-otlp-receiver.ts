/**
 * An independent OTLP/gRPC receiver for tests: `@grpc/grpc-js` serving the Export RPCs of the real
 * OTLP `.proto` files (`.build/otlp`, from `npm run proto:deps`) loaded by `@grpc/proto-loader`, on
 * 127.0.0.1:0, h2c or TLS. Nothing of connect, protobuf-es or our encoders decodes what arrives.
 * It records each request (decoded object, metadata, whether it came gzipped) and answers from a script:
 * a gRPC status (with a `RetryInfo` detail), a delay, or an OK with `partial_success`.
 */
import path from "node:path";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { partialSuccessBody } from "./otlp-receiver.js";

const protoRoot = path.resolve(import.meta.dirname, "../../.build/otlp");

/** The services served: proto file and service path of each signal. */
const services = {
  traces: ["opentelemetry/proto/collector/trace/v1/trace_service.proto", "opentelemetry.proto.collector.trace.v1.TraceService"],
  logs: ["opentelemetry/proto/collector/logs/v1/logs_service.proto", "opentelemetry.proto.collector.logs.v1.LogsService"],
  metrics: ["opentelemetry/proto/collector/metrics/v1/metrics_service.proto", "opentelemetry.proto.collector.metrics.v1.MetricsService"],
} as const;

export type GrpcSignal = keyof typeof services;

/** One scripted answer; default OK with an empty response. */
export interface GrpcScriptedResponse {
  /** A non-OK gRPC status code. */
  readonly code?: number;
  readonly message?: string;
  /** Adds a `google.rpc.RetryInfo` detail with this delay to the error status. */
  readonly retryDelayMs?: number;
  /** OK with `partial_success { rejected, error_message }` in the response. */
  readonly partialSuccess?: { readonly rejected: number; readonly errorMessage: string };
  /** Answer only after this long. */
  readonly delayMs?: number;
}

/** A request as the receiver decoded it (proto-loader objects: `longs: String`, `enums: Number`, bytes as Buffer). */
export interface GrpcReceivedRequest {
  readonly signal: GrpcSignal;
  // biome-ignore lint/suspicious/noExplicitAny: proto-loader's decoded objects are untyped
  readonly request: any;
  readonly metadata: Record<string, string>;
  /** The `grpc-encoding` the client announced, e.g. `gzip`. */
  readonly encoding: string | undefined;
}

export interface GrpcOtlpReceiver {
  readonly port: number;
  /** `http://127.0.0.1:<port>` (`https://` with TLS). */
  readonly url: string;
  readonly requests: GrpcReceivedRequest[];
  script(...responses: GrpcScriptedResponse[]): void;
  close(): Promise<void>;
}

/** Starts the receiver; with `tls`, it serves that key and certificate. */
export async function startGrpcOtlpReceiver(tls?: { key: string; cert: string }): Promise<GrpcOtlpReceiver> {
  const requests: GrpcReceivedRequest[] = [];
  const queue: GrpcScriptedResponse[] = [];
  const server = new grpc.Server();
  for (const [signal, [file, servicePath]] of Object.entries(services) as [GrpcSignal, (typeof services)[GrpcSignal]][]) {
    const definition = protoLoader.loadSync(file, { includeDirs: [protoRoot], longs: String, enums: Number, defaults: false });
    const service = definition[servicePath] as grpc.ServiceDefinition;
    // The 0.19 protos lack partial_success: the response is written by hand, so the serializer passes bytes through.
    const exportMethod = { ...(service.Export as grpc.MethodDefinition<object, Uint8Array>), responseSerialize: (bytes: Uint8Array) => Buffer.from(bytes) };
    server.addService({ Export: exportMethod } as grpc.ServiceDefinition, {
      Export: (call: grpc.ServerUnaryCall<object, Uint8Array>, callback: grpc.sendUnaryData<Uint8Array>) => {
        const metadata = Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]));
        const encoding = call.metadata.get("grpc-encoding")[0];
        requests.push({ signal, request: call.request, metadata, encoding: encoding === undefined ? undefined : String(encoding) });
        const answer = queue.shift() ?? {};
        const respond = (): void => {
          if (answer.code !== undefined) callback(statusError(answer));
          else
            callback(null, answer.partialSuccess ? partialSuccessBody(answer.partialSuccess.rejected, answer.partialSuccess.errorMessage) : new Uint8Array());
        };
        if (answer.delayMs === undefined) respond();
        else setTimeout(respond, answer.delayMs);
      },
    });
  }
  const credentials =
    tls === undefined
      ? grpc.ServerCredentials.createInsecure()
      : grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }]);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", credentials, (error, p) => (error ? reject(error) : resolve(p))));
  return {
    port,
    url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    requests,
    script: (...responses) => queue.push(...responses),
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown()),
  };
}

/** A grpc-js error status, with `grpc-status-details-bin` = google.rpc.Status carrying a RetryInfo when asked. */
function statusError(answer: GrpcScriptedResponse): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  if (answer.retryDelayMs !== undefined) {
    const seconds = Math.floor(answer.retryDelayMs / 1000);
    const nanos = (answer.retryDelayMs % 1000) * 1e6;
    const retryInfo = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .fork()
      .tag(1, WireType.Varint)
      .int64(seconds)
      .tag(2, WireType.Varint)
      .int32(nanos)
      .join()
      .finish();
    const any = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .string("type.googleapis.com/google.rpc.RetryInfo")
      .tag(2, WireType.LengthDelimited)
      .bytes(retryInfo)
      .finish();
    const status = new BinaryWriter()
      .tag(1, WireType.Varint)
      .int32(answer.code ?? 0)
      .tag(2, WireType.LengthDelimited)
      .string(answer.message ?? "")
      .tag(3, WireType.LengthDelimited)
      .bytes(any)
      .finish();
    metadata.set("grpc-status-details-bin", Buffer.from(status));
  }
  return { code: answer.code ?? grpc.status.UNKNOWN, details: answer.message ?? "", metadata };
}
