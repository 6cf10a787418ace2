import { inspect, promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { HttpClient } from "./http-client.js";
import { httpResultOf, otlpRetryableStatuses, type HttpResultContext } from "./http-result.js";
import {
  otlpAuthHint,
  otlpSecrets,
  redactOtlpExporterOptions,
  resolveOtlpExporterOptions,
  type OtlpExporterOptions,
  type ResolvedOtlpExporterOptions,
} from "./otlp-options.js";
import { decodePartialSuccess, type OtlpPartialSuccess } from "./partial-success.js";

const gzip = promisify(gzipCallback);
const ok: SendResult = Object.freeze({ status: "ok" });
/** Keep at most this much of a response: enough for a partial_success or an error text. */
const maxResponseBytes = 64 * 1024;

/**
 * A {@link SendResult} from {@link createOtlpHttpTransport}: an `ok` may carry the receiver's
 * `partial_success` (some items were rejected and must not be resent; the rest were accepted).
 */
export type OtlpSendResult =
  | { readonly status: "ok"; readonly partialSuccess?: OtlpPartialSuccess }
  | Exclude<SendResult, { readonly status: "ok" }>;

/** The {@link Transport} returned by {@link createOtlpHttpTransport}. */
export interface OtlpHttpTransport extends Transport {
  send(batch: EncodedBatch, signal?: AbortSignal): Promise<OtlpSendResult>;
}

/** OTLP/HTTP protobuf client over a keep-alive agent; see {@link createOtlpHttpTransport}. */
class OtlpHttpTransportImpl implements OtlpHttpTransport {
  readonly name = "otlp-http";
  readonly #options: ResolvedOtlpExporterOptions;
  readonly #client: HttpClient;
  readonly #context: HttpResultContext;
  readonly #headers: Record<string, string>;
  #closed = false;

  constructor(options: ResolvedOtlpExporterOptions) {
    this.#options = options;
    const url = new URL(options.url);
    this.#client = new HttpClient(url, { keepAlive: options.keepAlive, maxSockets: options.maxSockets, maxResponseBytes });
    this.#context = {
      peer: `OTLP endpoint ${url.protocol}//${url.host}${url.pathname}`,
      authHint: otlpAuthHint,
      retryableStatuses: otlpRetryableStatuses,
      secrets: otlpSecrets(options),
    };
    this.#headers = {
      ...options.headers,
      "Content-Type": "application/x-protobuf",
      ...(options.compression === "gzip" ? { "Content-Encoding": "gzip" } : {}),
    };
  }

  async send(batch: EncodedBatch, signal?: AbortSignal): Promise<OtlpSendResult> {
    try {
      if (this.#closed) return { status: "failed", error: new TransportError("transport is closed", "shutdown") };
      if (batch.count === 0) return ok;
      const body = this.#options.compression === "gzip" ? await gzip(batch.entries) : batch.entries;
      const outcome = await this.#client.post(this.#headers, body, this.#options.timeoutMs, signal);
      const result = httpResultOf(outcome, this.#context);
      if (result.status !== "ok" || outcome.kind !== "response") return result;
      const partialSuccess = decodePartialSuccess(outcome.body);
      return partialSuccess === undefined ? ok : { status: "ok", partialSuccess };
    } catch (error: unknown) {
      return { status: "failed", error: TransportError.from(error, "internal") };
    }
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#client.close();
    return Promise.resolve();
  }

  [inspect.custom](_depth: number, inspectOptions: object): string {
    const state = { ...redactOtlpExporterOptions(this.#options), inFlight: this.#client.inFlight, closed: this.#closed };
    return `OtlpHttpTransport ${inspect(state, inspectOptions)}`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, options: redactOtlpExporterOptions(this.#options) };
  }
}

/**
 * Creates a {@link Transport} that POSTs already-encoded OTLP protobuf requests
 * (`EncodedBatch.entries` = the bytes of an `ExportTraceServiceRequest` or `ExportLogsServiceRequest`;
 * `count` = spans or log records, `tag` is ignored) to the OTLP/HTTP endpoint, e.g. a collector's
 * `/v1/traces` or Dash0. Use it under our reliability layer (byte-bounded queue, retry, breaker)
 * instead of OTel's BatchSpanProcessor, which drops silently once its 2048-span queue is full.
 *
 * - `Content-Type: application/x-protobuf`, optional gzip, keep-alive connections (at most `maxSockets`),
 *   Dash0 `Authorization: Bearer` / `Dash0-Dataset` headers when `dash0` (or `DASH0_API_KEY`) is set.
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
export function createOtlpHttpTransport(options?: OtlpExporterOptions, env?: Readonly<Record<string, string | undefined>>): OtlpHttpTransport {
  return new OtlpHttpTransportImpl(resolveOtlpExporterOptions(options, env));
}
