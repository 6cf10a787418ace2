import { inspect, promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { HttpClient } from "../otlp/http-client.js";
import { httpResultOf, type HttpResultContext } from "../otlp/http-result.js";
import { forwardEntriesToMsgpackArray, forwardEntriesToObjects } from "./forward-entries.js";
import {
  redactFluentdHttpTransportOptions,
  resolveFluentdHttpTransportOptions,
  type FluentdHttpTransportOptions,
  type ResolvedFluentdHttpTransportOptions,
} from "./fluentd-http-options.js";

const gzip = promisify(gzipCallback);
const ok: SendResult = Object.freeze({ status: "ok" });
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
  readonly #client: HttpClient;
  readonly #context: HttpResultContext;
  readonly #headers: Record<string, string>;
  readonly #basePath: string;
  #closed = false;

  constructor(options: ResolvedFluentdHttpTransportOptions) {
    this.#options = options;
    const url = new URL(options.url);
    this.#basePath = url.pathname.replace(/\/+$/, "");
    this.#client = new HttpClient(url, { keepAlive: options.keepAlive, maxSockets: options.maxSockets, maxResponseBytes: 16 * 1024 });
    this.#context = {
      peer: `Fluentd in_http ${url.protocol}//${url.host}${this.#basePath}`,
      authHint: "check the headers option (in_http itself has no authentication; a proxy in front answered)",
      retryableStatuses: fluentdRetryableStatuses,
      secrets: Object.values(options.headers).filter((v) => v.length >= 6),
    };
    this.#headers = {
      ...options.headers,
      "Content-Type": options.format === "json" ? "application/json" : "application/msgpack",
      ...(options.gzip ? { "Content-Encoding": "gzip" } : {}),
    };
  }

  async send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
    try {
      if (this.#closed) return { status: "failed", error: new TransportError("transport is closed", "shutdown") };
      if (batch.count === 0) return ok;
      if (!tagPattern.test(batch.tag)) {
        return { status: "failed", error: new TransportError(`tag ${JSON.stringify(batch.tag)} cannot be sent as an in_http path (use letters, digits, _ - and dots)`, "invalid") };
      }
      const body = this.#encode(batch.entries);
      const wire = this.#options.gzip ? await gzip(body) : body;
      const outcome = await this.#client.post(this.#headers, wire, this.#options.timeoutMs, signal, `${this.#basePath}/${batch.tag}`);
      return httpResultOf(outcome, this.#context);
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
    const state = { ...redactFluentdHttpTransportOptions(this.#options), inFlight: this.#client.inFlight, closed: this.#closed };
    return `FluentdHttpTransport ${inspect(state, inspectOptions)}`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, options: redactFluentdHttpTransportOptions(this.#options) };
  }

  #encode(entries: Uint8Array): Uint8Array {
    const { format, timeKey } = this.#options;
    if (format === "msgpack") return forwardEntriesToMsgpackArray(entries, timeKey);
    const records = forwardEntriesToObjects(entries, timeKey, (seconds, nanos) => seconds + nanos / 1e9);
    return Buffer.from(JSON.stringify(records), "utf8");
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
 * @throws TelemetryError `config_invalid` from {@link resolveFluentdHttpTransportOptions} on bad options.
 */
export function createFluentdHttpTransport(
  options?: FluentdHttpTransportOptions,
  env?: Readonly<Record<string, string | undefined>>,
): Transport {
  return new FluentdHttpTransport(resolveFluentdHttpTransportOptions(options, env));
}
