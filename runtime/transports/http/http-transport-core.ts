import { inspect, promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { EncodedBatch, SendResult } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { HttpClient } from "./http-client.js";
import { httpResultOf, type HttpResultContext } from "./http-result.js";
import type { ResolvedHttpConnectionOptions } from "./http-options.js";

const gzip = promisify(gzipCallback);
const ok: SendResult = Object.freeze({ status: "ok" });

/** What an HTTP transport sends with: where, how, and how it prints. */
export interface HttpTransportSettings extends HttpResultContext {
  /** Class-like name shown by `util.inspect`, e.g. `OtlpHttpTransport`. */
  readonly label: string;
  /** The receiver's URL (its path is the default request path). */
  readonly url: URL;
  /** Connection options; `headers` are sent with every request. */
  readonly connection: ResolvedHttpConnectionOptions;
  /** `Content-Type` of every request. */
  readonly contentType: string;
  /** Gzip request bodies (`Content-Encoding: gzip`). */
  readonly gzip: boolean;
  /** Bytes of a response body kept. */
  readonly maxResponseBytes: number;
  /** PEM CA certificates to trust for an `https` URL; default Node's CAs. */
  readonly ca?: string | undefined;
  /** The transport's options safe to print (secrets `[redacted]`). */
  readonly redacted: () => Record<string, unknown>;
}

/** A request body and its path (default: the URL's path), or why the batch cannot be sent. */
export type PreparedRequest = { readonly body: Uint8Array; readonly path?: string } | Exclude<SendResult, { readonly status: "ok" }>;

/**
 * The part every HTTP transport shares: a keep-alive {@link HttpClient}, the closed flag, gzip, the
 * mapping of outcomes to `SendResult` ({@link httpResultOf}) and the redacted printed forms. The
 * transports only say how a batch becomes a request (and, for OTLP, what a 2xx body means).
 */
export class HttpTransportCore {
  readonly #settings: HttpTransportSettings;
  readonly #client: HttpClient;
  readonly #headers: Record<string, string>;
  #closed = false;

  constructor(settings: HttpTransportSettings) {
    this.#settings = settings;
    const { keepAlive, maxSockets, headers } = settings.connection;
    this.#client = new HttpClient(settings.url, { keepAlive, maxSockets, maxResponseBytes: settings.maxResponseBytes, ca: settings.ca });
    this.#headers = { ...headers, "Content-Type": settings.contentType, ...(settings.gzip ? { "Content-Encoding": "gzip" } : {}) };
  }

  /**
   * Sends one batch: after `close()` → `failed` (`shutdown`); an empty batch → `ok` unsent; else
   * `prepare(batch)` (gzipped if configured) is POSTed and the outcome mapped by {@link httpResultOf};
   * a 2xx body goes through `readOk` when given. Never throws or rejects.
   */
  async send<B extends EncodedBatch, R extends { readonly status: "ok" }>(
    batch: B,
    signal: AbortSignal | undefined,
    prepare: (batch: B) => PreparedRequest,
    readOk?: (body: Uint8Array) => R,
  ): Promise<SendResult | R> {
    try {
      if (this.#closed) return { status: "failed", error: new TransportError("transport is closed", "shutdown") };
      if (batch.count === 0) return ok;
      const prepared = prepare(batch);
      if ("status" in prepared) return prepared;
      const body = this.#settings.gzip ? await gzip(prepared.body) : prepared.body;
      const outcome = await this.#client.post(this.#headers, body, this.#settings.connection.timeoutMs, signal, prepared.path);
      const result = httpResultOf(outcome, this.#settings);
      return result.status === "ok" && outcome.kind === "response" && readOk !== undefined ? readOk(outcome.body) : result;
    } catch (error: unknown) {
      return { status: "failed", error: TransportError.from(error, "internal") };
    }
  }

  /** Closes connections; sends in flight resolve `retryable` (`shutdown`). Never rejects. */
  close(): Promise<void> {
    this.#closed = true;
    this.#client.close();
    return Promise.resolve();
  }

  /** `util.inspect` form: the label, redacted options, requests in flight and whether closed. */
  inspect(inspectOptions: object): string {
    const state = { ...this.#settings.redacted(), inFlight: this.#client.inFlight, closed: this.#closed };
    return `${this.#settings.label} ${inspect(state, inspectOptions)}`;
  }

  /** `JSON.stringify` form: the transport's name and redacted options. */
  toJSON(name: string): Record<string, unknown> {
    return { name, options: this.#settings.redacted() };
  }
}
