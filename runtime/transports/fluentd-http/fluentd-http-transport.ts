import { inspect } from "node:util";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { headerSecrets } from "../http/http-options.js";
import { HttpTransportCore, type PreparedRequest } from "../http/http-transport-core.js";
import { forwardEntriesToMsgpackArray, forwardEntriesToObjects } from "./forward-entries.js";
import {
  redactFluentdHttpTransportOptions,
  resolveFluentdHttpTransportOptions,
  type FluentdHttpTransportOptions,
  type ResolvedFluentdHttpTransportOptions,
} from "./fluentd-http-options.js";

/** What Fluentd accepts as a tag in a URL path (dots and path segments both become tag dots). */
const tagPattern = /^[A-Za-z0-9_\-]+(?:[./][A-Za-z0-9_\-]+)*$/;
/**
 * Statuses answered `retryable`: the usual transient ones plus 500, which `in_http` returns when
 * `emit` fails (e.g. its buffer is full: `BufferOverflowError`).
 */
const fluentdRetryableStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Fluentd `in_http` client over a keep-alive agent; see {@link createFluentdHttpTransport}. */
class FluentdHttpTransport implements Transport {
  readonly name = "fluentd-http";
  readonly #options: ResolvedFluentdHttpTransportOptions;
  readonly #http: HttpTransportCore;
  readonly #basePath: string;

  constructor(options: ResolvedFluentdHttpTransportOptions) {
    this.#options = options;
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

  send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
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

  /** `POST <base path>/<tag>` with the records as a msgpack or JSON array. */
  #request(batch: EncodedBatch): PreparedRequest {
    if (!tagPattern.test(batch.tag)) {
      return { status: "failed", error: new TransportError(`tag ${JSON.stringify(batch.tag)} cannot be sent as an in_http path (use letters, digits, _ - and dots)`, "invalid") };
    }
    const { format, timeKey } = this.#options;
    const body = format === "msgpack"
      ? forwardEntriesToMsgpackArray(batch.entries, timeKey)
      : Buffer.from(JSON.stringify(forwardEntriesToObjects(batch.entries, timeKey, (seconds, nanos) => seconds + nanos / 1e9)), "utf8");
    return { body, path: `${this.#basePath}/${batch.tag}` };
  }
}

/**
 * Creates a transport to Fluentd's `in_http` input (the seed's Fluentd on port 8888), an alternative
 * to the forward protocol that takes the same batches: `EncodedBatch.entries` is forward-encoded
 * (concatenated msgpack `[EventTime, record]`), so a sink can switch transports without re-encoding.
 *
 * - Each batch is one `POST <url>/<tag>`: a msgpack array of maps (`application/msgpack`) or a JSON
 *   array of objects (`application/json`), optionally gzip, over keep-alive connections.
 * - Per-record time: `in_http` reads (and removes) the record key `time` (`timeKey`) and converts it
 *   with `Time.at`; msgpack sends it as an EventTime (exact nanoseconds), JSON as float seconds
 *   (a float64 holds today's epoch to about 0.24 µs). A record field with that name is replaced.
 * - 2xx → `ok`; 408/429/500/502/503/504, network errors and timeouts → `retryable` (`unavailable`,
 *   `retryAfterMs` from `Retry-After`); other statuses → `failed` (`rejected`: 400 is a body
 *   `in_http` could not parse, 413 one larger than `body_size_limit`, 32 MiB by default); a tag
 *   that is not a valid path or entries that are not forward-encoded → `failed` (`invalid`).
 * - An aborted `signal` or `close()` during a send → `retryable` (`shutdown`); after `close()` → `failed`.
 * - Never throws or rejects after construction; `util.inspect`/`JSON.stringify` redact header values.
 *
 * @throws TelemetryConfigError `config_invalid` from {@link resolveFluentdHttpTransportOptions} on bad options.
 */
export function createFluentdHttpTransport(options?: FluentdHttpTransportOptions): Transport {
  return new FluentdHttpTransport(resolveFluentdHttpTransportOptions(options));
}
