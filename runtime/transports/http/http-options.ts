import type { OptionProblems } from "../../config/option-problems.js";
import { minScrubbedChars, secretForms } from "../../config/secret-forms.js";
import { withRedactedView } from "../../config/redacted-view.js";

/** Connection options every HTTP transport (OTLP, Fluentd `in_http`) takes; see {@link httpConnectionDefaults}. */
export interface HttpConnectionOptions {
  /** Extra request headers (e.g. for a collector or an authenticating proxy). Values are treated as secrets. */
  headers?: Readonly<Record<string, string>>;
  /** Reuse TCP/TLS connections across requests (HTTP/1.1 keep-alive). Default true. */
  keepAlive?: boolean;
  /** Most concurrent connections to the receiver. Default 4. */
  maxSockets?: number;
  /** Deadline of one request (connect, upload, response), in ms. Default 10000. */
  timeoutMs?: number;
}

/** {@link HttpConnectionOptions} after defaults; `headers` prints its values as `[redacted]`. */
export interface ResolvedHttpConnectionOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly keepAlive: boolean;
  readonly maxSockets: number;
  readonly timeoutMs: number;
}

/** Defaults of {@link HttpConnectionOptions}: keep-alive with at most 4 connections, OTel's own 10 s deadline. */
export const httpConnectionDefaults = Object.freeze({
  keepAlive: true,
  maxSockets: 4,
  timeoutMs: 10000,
} as const);

const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Whether `value` can be sent as an HTTP header value (a string without line breaks or other controls). */
export function isHeaderValue(value: unknown): value is string {
  return typeof value === "string" && headerValue.test(value);
}

/**
 * Checks and defaults the connection options into `problems` (header values shown `[redacted]`).
 * `overrides` (e.g. Dash0's `Authorization`) replace any header of the same name, ignoring case.
 * Never throws; the caller throws once with every problem.
 */
export function resolveHttpConnectionOptions(
  problems: OptionProblems,
  options: HttpConnectionOptions,
  overrides: Readonly<Record<string, string>> = {},
): ResolvedHttpConnectionOptions {
  const headers: Record<string, string> = {};
  if (options.headers !== undefined) {
    if (typeof options.headers !== "object" || options.headers === null)
      problems.add("headers", options.headers, "an object of header names to values", '{ "x-team": "api" }');
    else {
      for (const [name, value] of Object.entries(options.headers)) {
        const key = `headers[${JSON.stringify(name)}]`;
        if (!headerName.test(name)) problems.add(key, name, "an HTTP token", '"x-team"');
        else if (!isHeaderValue(value)) problems.add(key, value, "a string without line breaks", "", { secret: true });
        else setHeader(headers, name, value);
      }
    }
  }
  for (const [name, value] of Object.entries(overrides)) setHeader(headers, name, value);
  const keepAlive = options.keepAlive ?? httpConnectionDefaults.keepAlive;
  problems.boolean("keepAlive", keepAlive);
  const maxSockets = options.maxSockets ?? httpConnectionDefaults.maxSockets;
  problems.integer("maxSockets", maxSockets, 1, 1024, "4");
  const timeoutMs = options.timeoutMs ?? httpConnectionDefaults.timeoutMs;
  problems.milliseconds("timeoutMs", timeoutMs, "10000");
  return { headers: withRedactedView(headers, () => redactHeaders(headers)), keepAlive, maxSockets, timeoutMs };
}

/** `headers` with every value replaced by `[redacted]`, for printing. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, "[redacted]"]));
}

/**
 * Header values long enough to be credentials, in every form a receiver may echo them ({@link secretForms}:
 * `Bearer X` → also `X`, Basic's `user:password`, URL-encoded), to scrub from quoted response text.
 */
export function headerSecrets(headers: Readonly<Record<string, string>>): string[] {
  return Object.values(headers).flatMap((value) => (value.length >= minScrubbedChars ? secretForms(value) : []));
}

/** Sets a header, replacing any case-insensitive duplicate. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  headers[name] = value;
}
