import { request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { performance } from "node:perf_hooks";
import { HttpClient, type HttpOutcome } from "../../transports/http/http-client.js";
import type { Deadline } from "./deadline.js";

/** An {@link HttpOutcome} and how long it took, in ms. */
export interface TimedHttpOutcome {
  readonly outcome: HttpOutcome;
  readonly latencyMs: number;
}

const maxResponseBytes = 64 * 1024;

/**
 * POSTs `body` to `url` with the transports' `HttpClient` (one fresh connection, no keep-alive) within
 * what is left of `deadline`, trusting `ca` (PEM) for `https` when given. An aborted deadline comes back
 * as `timeout`. Never rejects.
 */
export async function postOnce(url: string, headers: OutgoingHttpHeaders, body: Uint8Array, deadline: Deadline, ca?: string): Promise<TimedHttpOutcome> {
  const started = performance.now();
  const remainingMs = Math.floor(deadline.remainingMs());
  if (remainingMs <= 0) return { outcome: { kind: "timeout", timeoutMs: deadline.timeoutMs }, latencyMs: 0 };
  const client = new HttpClient(new URL(url), { keepAlive: false, maxSockets: 1, maxResponseBytes, ca });
  try {
    const outcome = await client.post(headers, body, remainingMs, deadline.signal);
    return { outcome: outcome.kind === "aborted" ? { kind: "timeout", timeoutMs: deadline.timeoutMs } : outcome, latencyMs: performance.now() - started };
  } finally {
    client.close();
  }
}

/**
 * GETs `url` within what is left of `deadline` and resolves with the outcome (the body capped at
 * 1 MiB). An aborted deadline comes back as `timeout`. Never rejects.
 */
export function getOnce(url: string, deadline: Deadline, headers: OutgoingHttpHeaders = {}): Promise<TimedHttpOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      deadline.signal.removeEventListener("abort", onAbort);
      resolve({ outcome, latencyMs: performance.now() - started });
    };
    const onAbort = (): void => {
      finish({ kind: "timeout", timeoutMs: deadline.timeoutMs });
      req?.destroy();
    };
    if (deadline.expired) {
      finish({ kind: "timeout", timeoutMs: deadline.timeoutMs });
      return;
    }
    let req: ReturnType<typeof httpRequest> | undefined;
    try {
      const target = new URL(url);
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      req = send(target, { method: "GET", agent: false, headers: { accept: "application/json", ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on("data", (chunk: Buffer) => {
          if (kept >= 1024 * 1024) return;
          chunks.push(chunk);
          kept += chunk.byteLength;
        });
        res.on("end", () => finish({ kind: "response", status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", (error: unknown) => finish({ kind: "error", error }));
      });
      req.on("error", (error: unknown) => finish({ kind: "error", error }));
      deadline.signal.addEventListener("abort", onAbort, { once: true });
      req.end();
    } catch (error: unknown) {
      finish({ kind: "error", error });
    }
  });
}

/** The JSON of a 2xx response, or `undefined` (another status, not JSON, no response). Never throws. */
export function jsonOf(outcome: HttpOutcome): unknown {
  if (outcome.kind !== "response" || outcome.status < 200 || outcome.status >= 300) return undefined;
  try {
    return JSON.parse(Buffer.from(outcome.body).toString("utf8")) as unknown;
  } catch {
    return undefined; // not JSON: the caller reports the endpoint as not what it expected
  }
}
