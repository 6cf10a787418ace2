import type { SendResult } from "../transport.js";
import { classifyNodeError, TransportError } from "../transport-error.js";
import type { HttpOutcome } from "./http-client.js";
import { quoteBody } from "./quote-body.js";

/** How an HTTP transport names its receiver and explains an auth failure, for {@link httpResultOf}. */
export interface HttpResultContext {
  /** The receiver as shown in messages, e.g. `OTLP endpoint http://collector:4318/v1/traces` (no credentials). */
  readonly peer: string;
  /** What to check on 401/403, e.g. `check DASH0_API_KEY and DASH0_DATASET`. */
  readonly authHint: string;
  /** Status codes answered `retryable` (everything else outside 2xx is `failed`). */
  readonly retryableStatuses: ReadonlySet<number>;
  /** Strings scrubbed from any response text quoted in a message (API keys, header values). */
  readonly secrets: readonly string[];
}

/** Status codes the OTLP/HTTP specification says to retry (plus 408 Request Timeout). */
export const otlpRetryableStatuses: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

const ok: SendResult = Object.freeze({ status: "ok" });

/**
 * Maps an {@link HttpOutcome} to a `SendResult`:
 * - 2xx → `ok` (callers that read the body, e.g. for OTLP partial success, look at the outcome first);
 * - a status in `retryableStatuses` → `retryable` (`unavailable`) with `retryAfterMs` from `Retry-After`;
 * - 401/403 → `failed` (`rejected`) naming `authHint`; other statuses → `failed` (`rejected`; 1xx/3xx `protocol`);
 * - socket errors Node classifies as network failures, timeouts → `retryable` (`unavailable`), TLS
 *   verification and HTTP parse errors → `failed` (`protocol`), other socket errors → `retryable`;
 * - an aborted signal or a closed client → `retryable` (`shutdown`).
 * Messages quote at most 200 characters of the response body, with every secret replaced by `[redacted]`.
 */
export function httpResultOf(outcome: HttpOutcome, context: HttpResultContext): SendResult {
  switch (outcome.kind) {
    case "response": {
      const { status } = outcome;
      if (status >= 200 && status < 300) return ok;
      const said = quoteBody(outcome.body, context.secrets);
      const base = `${context.peer} answered HTTP ${status}${said === "" ? "" : `: ${said}`}`;
      if (context.retryableStatuses.has(status)) {
        const retryAfterMs = parseRetryAfterMs(header(outcome.headers["retry-after"]), Date.now());
        const error = new TransportError(base, "unavailable");
        return retryAfterMs === undefined ? { status: "retryable", error } : { status: "retryable", error, retryAfterMs };
      }
      if (status === 401 || status === 403) {
        const what = status === 401 ? "not authenticated" : "not authorised";
        return { status: "failed", error: new TransportError(`${base} (${what}: ${context.authHint})`, "rejected") };
      }
      return { status: "failed", error: new TransportError(base, status >= 400 ? "rejected" : "protocol") };
    }
    case "timeout":
      return { status: "retryable", error: new TransportError(`${context.peer}: no response within ${outcome.timeoutMs} ms`, "unavailable") };
    case "aborted":
      return { status: "retryable", error: new TransportError("send aborted", "shutdown", { cause: outcome.reason }) };
    case "closed":
      return { status: "retryable", error: new TransportError("transport closed during the send", "shutdown") };
    case "error": {
      const message = `${context.peer}: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
      const code = classifyNodeError(outcome.error);
      const nodeCode: unknown = typeof outcome.error === "object" && outcome.error !== null ? (outcome.error as { code?: unknown }).code : undefined;
      if (code === "protocol" || (typeof nodeCode === "string" && nodeCode.startsWith("HPE_"))) {
        return { status: "failed", error: new TransportError(message, "protocol", { cause: outcome.error }) };
      }
      return { status: "retryable", error: new TransportError(message, "unavailable", { cause: outcome.error }) };
    }
  }
}

/**
 * Parses an HTTP `Retry-After` value into milliseconds from `nowMs`: delay-seconds (`"120"`) or an
 * HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, a date in the past gives 0). Anything else gives
 * `undefined` (the caller's backoff applies).
 */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // "1.5", "-1": not delay-seconds, not a date
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
