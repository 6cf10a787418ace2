import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/**
 * What one HTTP POST came to, before it is mapped to a `SendResult` by `httpResultOf`:
 * a complete response, a socket error, no response within the deadline, an aborted signal, or
 * the client closed under it.
 */
export type HttpOutcome =
  | { readonly kind: "response"; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: Uint8Array }
  | { readonly kind: "error"; readonly error: unknown }
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "aborted"; readonly reason: unknown }
  | { readonly kind: "closed" };

/** Settings of an {@link HttpClient}. */
export interface HttpClientSettings {
  /** Reuse connections (HTTP/1.1 keep-alive). */
  readonly keepAlive: boolean;
  /** Most concurrent connections to the receiver. */
  readonly maxSockets: number;
  /** Bytes of a response body kept (the rest is read and discarded). */
  readonly maxResponseBytes: number;
  /** PEM CA certificates an `https` receiver's certificate must chain to; default Node's CAs. */
  readonly ca?: string | undefined;
}

/** Socket errors after which a request on a reused keep-alive connection is sent once more. */
const staleSocketCodes: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/** Marker passed to `destroy()` by {@link HttpClient.close}. */
class ClosedMarker extends Error {}

/**
 * A keep-alive `node:http(s)` agent plus the requests in flight on it, shared by the OTLP and Fluentd
 * `in_http` transports. `post` never throws or rejects; `close` destroys the agent and every request
 * in flight (they resolve `closed`).
 *
 * A request whose reused keep-alive socket turns out to be closed by the server (reset before any
 * response byte: the server timed the idle connection out as we wrote) is sent once more on a fresh
 * connection, as the Node.js docs advise (`request.reusedSocket`); the server had not read it.
 */
export class HttpClient {
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #settings: HttpClientSettings;
  readonly #inFlight = new Set<ClientRequest>();
  #closed = false;

  constructor(url: URL, settings: HttpClientSettings) {
    this.#url = url;
    this.#settings = settings;
    const agentOptions = { keepAlive: settings.keepAlive, maxSockets: settings.maxSockets, scheduling: "lifo" as const };
    this.#agent =
      url.protocol === "https:" ? new HttpsAgent({ ...agentOptions, ...(settings.ca === undefined ? {} : { ca: settings.ca }) }) : new HttpAgent(agentOptions);
  }

  /** Requests currently in flight. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * POSTs `body` to `path` (default: the client's URL path) and resolves with the outcome within
   * `timeoutMs` (one deadline for connect, upload and response, retries on a stale socket included).
   */
  async post(headers: OutgoingHttpHeaders, body: Uint8Array, timeoutMs: number, signal?: AbortSignal, path?: string): Promise<HttpOutcome> {
    if (this.#closed) return { kind: "closed" };
    if (signal?.aborted) return { kind: "aborted", reason: signal.reason };
    const deadline = Date.now() + timeoutMs;
    const first = await this.#attempt(headers, body, timeoutMs, signal, path);
    if (first.outcome.kind !== "error" || !first.reusedSocket || !first.beforeResponse || !isStaleSocketError(first.outcome.error)) {
      return first.outcome;
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) return { kind: "timeout", timeoutMs };
    return (await this.#attempt(headers, body, remainingMs, signal, path)).outcome;
  }

  /** Destroys idle and active connections; requests in flight resolve `closed`. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const req of this.#inFlight) req.destroy(new ClosedMarker("client closed"));
    this.#inFlight.clear();
    this.#agent.destroy();
  }

  #attempt(
    headers: OutgoingHttpHeaders,
    body: Uint8Array,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    path: string | undefined,
  ): Promise<{ outcome: HttpOutcome; reusedSocket: boolean; beforeResponse: boolean }> {
    return new Promise((resolve) => {
      const url = this.#url;
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      let settled = false;
      let responded = false;
      let req: ClientRequest | undefined;
      const finish = (outcome: HttpOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (req) this.#inFlight.delete(req);
        resolve({ outcome, reusedSocket: req?.reusedSocket ?? false, beforeResponse: !responded });
      };
      const onAbort = (): void => {
        finish({ kind: "aborted", reason: signal?.reason });
        req?.destroy();
      };
      const timer = setTimeout(() => {
        finish({ kind: "timeout", timeoutMs });
        req?.destroy();
      }, timeoutMs);
      timer.unref();
      try {
        req = send(
          url,
          {
            method: "POST",
            path: path ?? `${url.pathname}${url.search}`,
            agent: this.#agent,
            headers: { ...headers, "Content-Length": String(body.byteLength) },
          },
          (res) => {
            responded = true;
            const chunks: Buffer[] = [];
            let kept = 0;
            res.on("data", (chunk: Buffer) => {
              if (kept >= this.#settings.maxResponseBytes) return;
              const part = chunk.subarray(0, this.#settings.maxResponseBytes - kept);
              kept += part.byteLength;
              chunks.push(part);
            });
            res.on("end", () => finish({ kind: "response", status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on("error", (error: unknown) => finish(outcomeOfError(error)));
          },
        );
        this.#inFlight.add(req);
        req.on("error", (error: unknown) => finish(outcomeOfError(error)));
        signal?.addEventListener("abort", onAbort, { once: true });
        req.end(body);
      } catch (error: unknown) {
        finish(outcomeOfError(error));
      }
    });
  }
}

function outcomeOfError(error: unknown): HttpOutcome {
  return error instanceof ClosedMarker ? { kind: "closed" } : { kind: "error", error };
}

function isStaleSocketError(error: unknown): boolean {
  const code: unknown = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && staleSocketCodes.has(code);
}
