import { inspect } from "node:util";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { headerSecrets } from "../http/http-options.js";
import { HttpTransportCore, type PreparedRequest } from "../http/http-transport-core.js";
import {
  redactFluentdHttpTransportOptions,
  resolveFluentdHttpTransportOptions,
  type FluentdHttpTransportOptions,
  type ResolvedFluentdHttpTransportOptions,
} from "./fluentd-http-options.js";

/**
 * A batch for Fluentd `in_http`: `body` is a msgpack or JSON array of records, each with its time
 * (see `createInHttpMsgpackEncoder`, `createInHttpJsonEncoder`), POSTed to `<url path>/<tag>`.
 */
export interface FluentdHttpBatch extends EncodedBatch {
  /** Fluentd tag of every record, sent as the request path. */
  readonly tag: string;
  /** How `body` is encoded; must be the transport's `format` (its `Content-Type`). */
  readonly format: "msgpack" | "json";
}

/** What Fluentd accepts as a tag in a URL path (dots and path segments both become tag dots). */
const tagPattern = /^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*$/;
/**
 * Statuses answered `retryable`: the usual transient ones plus 500, which `in_http` returns when
 * `emit` fails (e.g. its buffer is full: `BufferOverflowError`).
 */
const fluentdRetryableStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Fluentd `in_http` client over a keep-alive agent; see {@link createFluentdHttpTransport}. */
class FluentdHttpTransport implements Transport<FluentdHttpBatch> {
  readonly name = "fluentd-http";
  readonly #http: HttpTransportCore;
  readonly #basePath: string;
  readonly #format: "msgpack" | "json";

  constructor(options: ResolvedFluentdHttpTransportOptions) {
    this.#format = options.format;
    const url = new URL(options.url);
    this.#basePath = url.pathname.replace(/\/+$/, "");
    this.#http = new HttpTransportCore({
      label: "FluentdHttpTransport",
      url,
      peer: `Fluentd in_http ${url.protocol}//${url.host}${this.#basePath}`,
      authHint: "check the headers option (in_http itself has no authentication; a proxy in front answered)",
      retryableStatuses: fluentdRetryableStatuses,
      secrets: headerSecrets(options.headers),
      connection: options,
      contentType: options.format === "json" ? "application/json" : "application/msgpack",
      gzip: options.gzip,
      maxResponseBytes: 16 * 1024,
      redacted: () => redactFluentdHttpTransportOptions(options),
    });
  }

  send(batch: FluentdHttpBatch, signal?: AbortSignal): Promise<SendResult> {
    return this.#http.send(batch, signal, (b) => this.#request(b));
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

  /** `POST <base path>/<tag>` with the encoded array as the body. */
  #request(batch: FluentdHttpBatch): PreparedRequest {
    if (!tagPattern.test(batch.tag)) {
      const message = `tag ${JSON.stringify(batch.tag)} cannot be sent as an in_http path (use letters, digits, _ - and dots)`;
      return { status: "failed", error: new TransportError(message, "invalid") };
    }
    if (batch.format !== this.#format) {
      const message = `batch is encoded as ${batch.format}, but this transport sends ${this.#format} (format option)`;
      return { status: "failed", error: new TransportError(message, "invalid") };
    }
    return { body: batch.body, path: `${this.#basePath}/${batch.tag}` };
  }
}

/**
 * Creates a transport to Fluentd's `in_http` input (the seed's Fluentd on port 8888), an alternative
 * to the forward protocol. The batches are encoded for it ({@link FluentdHttpBatch}): a msgpack or
 * JSON array of records, each with its time under `in_http`'s `time_key`, as `format` says.
 *
 * - Each batch is one `POST <url>/<tag>`: the body as encoded, `Content-Type` `application/msgpack`
 *   or `application/json` (`format`), optionally gzip, over keep-alive connections.
 * - 2xx → `ok`; 408/429/500/502/503/504, network errors and timeouts → `retryable` (`unavailable`,
 *   `retryAfterMs` from `Retry-After`); other statuses → `failed` (`rejected`: 400 is a body
 *   `in_http` could not parse, 413 one larger than `body_size_limit`, 32 MiB by default); a tag
 *   that is not a valid path, or a batch encoded in the other format → `failed` (`invalid`).
 * - An aborted `signal` or `close()` during a send → `retryable` (`shutdown`); after `close()` → `failed`.
 * - Never throws or rejects after construction; `util.inspect`/`JSON.stringify` redact header values.
 *
 * @throws TelemetryConfigError `config_invalid` from {@link resolveFluentdHttpTransportOptions} on bad options.
 */
export function createFluentdHttpTransport(options?: FluentdHttpTransportOptions): Transport<FluentdHttpBatch> {
  return new FluentdHttpTransport(resolveFluentdHttpTransportOptions(options));
}
