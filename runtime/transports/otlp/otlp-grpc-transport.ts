import { inspect } from "node:util";
import { create, type DescMessage, type DescMethodUnary, toBinary } from "@bufbuild/protobuf";
import type { Transport as ConnectTransport } from "@connectrpc/connect";
import { LogsService } from "../../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { MetricsService } from "../../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js";
import { TraceService } from "../../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { loadConnect, loadConnectNode } from "../../package/optional-dependencies.js";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { createGuardedSessionManager } from "./http2-sessions.js";
import { type GrpcFailure, type GrpcResultContext, type GrpcStatusDetail, grpcResultOf } from "./grpc-status.js";
import {
  otlpAuthHint,
  otlpSecrets,
  redactOtlpExporterOptions,
  resolveOtlpExporterOptions,
  type OtlpExporterOptions,
  type OtlpSignal,
  type ResolvedOtlpExporterOptions,
} from "./otlp-options.js";
import { decodePartialSuccess } from "./partial-success.js";
import { rawFields } from "./protobuf-fields.js";

// connect-node is an optional peer dependency: without it this module's import rejects with a
// MissingDependencyError naming `npm i`, and the lazy transport that loads it fails every send with
// that message (counted as drops), as the health service does.
const { createGrpcTransport, compressionGzip, Http2SessionManager } = await loadConnectNode();
const { ConnectError } = await loadConnect();

/** Keep at most this much of a response: enough for a partial_success or a status message. */
const maxResponseBytes = 64 * 1024;

/** The OTLP `Export` RPC of each signal, from the service definitions buf generated from the OTLP protos. */
const exportMethods: Readonly<Record<OtlpSignal, DescMethodUnary<DescMessage, DescMessage>>> = Object.freeze({
  traces: TraceService.method.export,
  logs: LogsService.method.export,
  metrics: MetricsService.method.export,
});

const ok: SendResult = Object.freeze({ status: "ok" });

/** OTLP/gRPC client over one HTTP/2 connection; see {@link createOtlpGrpcTransport}. */
class OtlpGrpcTransport implements Transport {
  readonly name = "otlp-grpc";
  readonly #options: ResolvedOtlpExporterOptions;
  readonly #method: DescMethodUnary<DescMessage, DescMessage>;
  readonly #sessions: ReturnType<typeof createGuardedSessionManager>;
  readonly #client: ConnectTransport;
  readonly #metadata: Headers;
  readonly #context: GrpcResultContext;
  readonly #closing = new AbortController();
  #inFlight = 0;

  constructor(options: ResolvedOtlpExporterOptions) {
    this.#options = options;
    this.#method = exportMethods[options.signal];
    const baseUrl = new URL(options.url).origin;
    this.#sessions = createGuardedSessionManager(Http2SessionManager, baseUrl, options.ca);
    this.#client = createGrpcTransport({
      baseUrl,
      sessionManager: this.#sessions,
      ...(options.compression === "gzip" ? { sendCompression: compressionGzip } : {}),
      readMaxBytes: maxResponseBytes,
    });
    this.#metadata = new Headers();
    for (const [name, value] of Object.entries(options.headers)) this.#metadata.set(name.toLowerCase(), value);
    this.#context = { peer: `OTLP/gRPC endpoint ${baseUrl}`, authHint: otlpAuthHint, secrets: otlpSecrets(options) };
  }

  async send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
    if (this.#closing.signal.aborted) return { status: "failed", error: new TransportError("transport is closed", "shutdown") };
    if (batch.count === 0) return ok;
    if (signal?.aborted) return aborted(signal.reason);
    this.#inFlight++;
    // One controller per call, aborted by close() or the caller's signal (listeners removed after the
    // call: AbortSignal.any would tie every call's signal to the transport's long-lived one).
    const call = new AbortController();
    const abort = (): void => call.abort();
    this.#closing.signal.addEventListener("abort", abort, { once: true });
    signal?.addEventListener("abort", abort, { once: true });
    try {
      const request = create(this.#method.input);
      // The batch is an encoded Export*ServiceRequest: its top-level fields ride as the message's
      // unknown fields, which protobuf-es writes back verbatim (no decode and re-encode per batch).
      request.$unknown = rawFields(batch.body);
      const response = await this.#client.unary(this.#method, call.signal, this.#options.timeoutMs, this.#metadata, request);
      const partialSuccess = decodePartialSuccess(toBinary(this.#method.output, response.message));
      return partialSuccess === undefined ? ok : { status: "ok", partialSuccess };
    } catch (error: unknown) {
      if (this.#closing.signal.aborted) return { status: "retryable", error: new TransportError("transport closed during the send", "shutdown") };
      if (signal?.aborted) return aborted(signal.reason);
      return grpcResultOf(failureOf(error), this.#context);
    } finally {
      this.#inFlight--;
      this.#closing.signal.removeEventListener("abort", abort);
      signal?.removeEventListener("abort", abort);
    }
  }

  close(): Promise<void> {
    if (!this.#closing.signal.aborted) {
      this.#closing.abort(new TransportError("transport closed", "shutdown"));
      this.#sessions.abort();
    }
    return Promise.resolve();
  }

  [inspect.custom](_depth: number, inspectOptions: object): string {
    const state = { ...redactOtlpExporterOptions(this.#options), inFlight: this.#inFlight, closed: this.#closing.signal.aborted };
    return `OtlpGrpcTransport ${inspect(state, inspectOptions)}`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, options: redactOtlpExporterOptions(this.#options) };
  }
}

function aborted(reason: unknown): SendResult {
  return { status: "retryable", error: new TransportError("send aborted", "shutdown", { cause: reason }) };
}

/** What {@link grpcResultOf} reads of anything a call threw: connect's status, message, details and local cause. */
function failureOf(error: unknown): GrpcFailure {
  const e = ConnectError.from(error);
  const details: GrpcStatusDetail[] = [];
  for (const d of e.details) if ("type" in d) details.push({ type: d.type, value: d.value });
  return { code: e.code, message: e.rawMessage, details, cause: e.cause ?? (e === error ? undefined : error) };
}

/**
 * Creates a {@link Transport} that exports already-encoded OTLP protobuf requests over gRPC (`EncodedBatch.body`
 * = the bytes of an `Export{Trace,Logs,Metrics}ServiceRequest`, `count` = its items) with
 * `@connectrpc/connect-node` (an optional peer dependency) and the `Export` RPC of the OTLP service
 * definitions: `TraceService`, `LogsService` or `MetricsService` as `signal` says, to the origin of `url`
 * (`http://collector:4317`; a path is ignored), h2c for `http://`, TLS for `https://` (trusting `ca` when given).
 *
 * - One HTTP/2 connection, reopened on demand (`keepAlive` and `maxSockets` do not apply); headers (`dash0`
 *   included) are sent as gRPC metadata, names lowercased.
 * - `compression: "gzip"` compresses each message; `timeoutMs` is each call's deadline (`grpc-timeout`).
 * - OK → `ok`, with `partialSuccess` when the response carries a non-empty `partial_success`.
 * - UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, CANCELLED, OUT_OF_RANGE, DATA_LOSS, RESOURCE_EXHAUSTED with a
 *   `RetryInfo`, and network errors → `retryable` (`unavailable`, `retryAfterMs` from `RetryInfo`).
 * - UNAUTHENTICATED / PERMISSION_DENIED → `failed` (`rejected`) naming DASH0_API_KEY / DASH0_DATASET, never
 *   the key; other statuses → `failed` (`rejected`); a TLS verification failure → `failed` (`protocol`).
 * - An aborted `signal` or `close()` during a send → `retryable` (`shutdown`); after `close()` → `failed`.
 * - Never throws or rejects after construction; `util.inspect`/`JSON.stringify` redact secrets.
 *
 * @throws TelemetryError `config_invalid` from {@link resolveOtlpExporterOptions} on bad options.
 */
export function createOtlpGrpcTransport(options?: OtlpExporterOptions): Transport {
  return new OtlpGrpcTransport(resolveOtlpExporterOptions({ ...options, protocol: "grpc" }));
}
