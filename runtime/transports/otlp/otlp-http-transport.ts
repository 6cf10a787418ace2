import { inspect } from "node:util";
import { OptionProblems } from "../../config/option-problems.js";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { otlpRetryableStatuses } from "../http/http-result.js";
import { HttpTransportCore, type PreparedRequest } from "../http/http-transport-core.js";
import {
  otlpAuthHint,
  otlpSecrets,
  redactOtlpExporterOptions,
  resolveOtlpExporterOptions,
  type OtlpExporterOptions,
  type ResolvedOtlpExporterOptions,
} from "./otlp-options.js";
import { decodeJsonPartialSuccess, decodePartialSuccess } from "./partial-success.js";

/** Keep at most this much of a response: enough for a partial_success or an error text. */
const maxResponseBytes = 64 * 1024;

/** OTLP/HTTP protobuf client over a keep-alive agent; see {@link createOtlpHttpTransport}. */
class OtlpHttpTransport implements Transport {
  readonly name = "otlp-http";
  readonly #http: HttpTransportCore;
  readonly #readOk: (body: Uint8Array) => OkResult;

  constructor(options: ResolvedOtlpExporterOptions) {
    const url = new URL(options.url);
    const json = options.protocol === "http/json";
    this.#http = new HttpTransportCore({
      label: "OtlpHttpTransport",
      url,
      peer: `OTLP endpoint ${url.protocol}//${url.host}${url.pathname}`,
      authHint: otlpAuthHint,
      retryableStatuses: otlpRetryableStatuses,
      secrets: otlpSecrets(options),
      connection: options,
      contentType: json ? "application/json" : "application/x-protobuf",
      gzip: options.compression === "gzip",
      maxResponseBytes,
      ca: options.ca,
      redacted: () => redactOtlpExporterOptions(options),
    });
    this.#readOk = json ? withJsonPartialSuccess : withPartialSuccess;
  }

  send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
    return this.#http.send(batch, signal, encodedRequest, this.#readOk);
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  [inspect.custom](_depth: number, inspectOptions: object): string {
    return this.#http.inspect(inspectOptions);
  }

  toJSON(): Record<string, unknown> {
    return this.#http.toJSON(this.name);
  }
}

/** The batch is an already-encoded Export*ServiceRequest: sent as is. */
function encodedRequest(batch: EncodedBatch): PreparedRequest {
  return { body: batch.body };
}

type OkResult = Extract<SendResult, { readonly status: "ok" }>;

/** A 2xx body: `ok`, with the receiver's `partial_success` when it rejected some items. */
function withPartialSuccess(body: Uint8Array): OkResult {
  const partialSuccess = decodePartialSuccess(body);
  return partialSuccess === undefined ? { status: "ok" } : { status: "ok", partialSuccess };
}

/** A 2xx JSON body: `ok`, with the receiver's `partialSuccess` when it rejected some items. */
function withJsonPartialSuccess(body: Uint8Array): OkResult {
  const partialSuccess = decodeJsonPartialSuccess(body);
  return partialSuccess === undefined ? { status: "ok" } : { status: "ok", partialSuccess };
}

/**
 * Creates a {@link Transport} that POSTs already-encoded OTLP requests (`EncodedBatch.body` = an
 * `Export{Trace,Logs,Metrics}ServiceRequest` in protobuf, or in OTLP/JSON with `protocol: "http/json"`;
 * `count` = its items) to the OTLP/HTTP endpoint, e.g. a collector's
 * `/v1/traces` or Dash0. Use it under our reliability layer (byte-bounded queue, retry, breaker)
 * instead of OTel's BatchSpanProcessor, which drops silently once its 2048-span queue is full.
 * (`protocol: "grpc"` is `createOtlpGrpcTransport`'s; this transport refuses it.)
 *
 * - `Content-Type: application/x-protobuf` (`application/json` for `http/json`), optional gzip, keep-alive
 *   connections (at most `maxSockets`), the CA certificates of `ca` trusted for `https`,
 *   Dash0 `Authorization: Bearer` / `Dash0-Dataset` headers when `dash0` is set (or when they come in
 *   `headers`, as from `otlpTransportOptionsFromConfig`).
 * - 2xx → `ok`, with `partialSuccess` when the response carries a non-empty `partial_success`.
 * - 408/429/502/503/504, network errors and no response within `timeoutMs` → `retryable`
 *   (`unavailable`) with `retryAfterMs` from `Retry-After` (seconds or HTTP-date). It does not retry by itself.
 * - 401/403 → `failed` (`rejected`), the message names DASH0_API_KEY / DASH0_DATASET, never the key;
 *   other 4xx and 5xx → `failed` (`rejected`), as the OTLP specification says not to retry them.
 * - An aborted `signal` or `close()` during a send → `retryable` (`shutdown`); after `close()` → `failed`.
 * - Never throws or rejects after construction; `util.inspect`/`JSON.stringify` redact secrets.
 *
 * @throws TelemetryError `config_invalid` from {@link resolveOtlpExporterOptions} on bad options.
 */
export function createOtlpHttpTransport(options?: OtlpExporterOptions): Transport {
  const resolved = resolveOtlpExporterOptions(options);
  if (resolved.protocol === "grpc") {
    const problems = new OptionProblems("OTLP/HTTP exporter");
    problems.add("protocol", resolved.protocol, "http/protobuf or http/json (grpc is createOtlpGrpcTransport's)", '"http/protobuf"');
    problems.throwIfAny();
  }
  return new OtlpHttpTransport(resolved);
}
