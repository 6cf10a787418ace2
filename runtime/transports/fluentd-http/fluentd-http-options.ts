import { inspect } from "node:util";
import { TelemetryError } from "../../errors/telemetry-error.js";

/** Options of {@link createFluentdHttpTransport}. Every field is optional; see {@link fluentdHttpTransportDefaults}. */
export interface FluentdHttpTransportOptions {
  /**
   * Base URL of Fluentd's `in_http` input; a batch is POSTed to `<url path>/<tag>`.
   * Env `FLUENTD_HTTP_URL`. Default `http://127.0.0.1:8888` (the seed's `fluentdPort`).
   */
  url?: string;
  /**
   * Body format: `msgpack` (`application/msgpack`, per-record time as an EventTime: nanoseconds kept)
   * or `json` (`application/json`, time as float seconds: about 0.25 µs resolution today). Default `msgpack`.
   */
  format?: "msgpack" | "json";
  /** Record key carrying each record's time; must match `in_http`'s `<parse> time_key` (default `time`). Default `time`. */
  timeKey?: string;
  /** gzip request bodies (`Content-Encoding: gzip`, which `in_http` decodes). Default false. */
  gzip?: boolean;
  /** Extra request headers (e.g. for an authenticating proxy). Values are treated as secrets. */
  headers?: Readonly<Record<string, string>>;
  /** Reuse connections (HTTP/1.1 keep-alive; `in_http` closes them after `keepalive_timeout`, 10 s). Default true. */
  keepAlive?: boolean;
  /** Most concurrent connections. Default 4. */
  maxSockets?: number;
  /** Deadline of one POST (connect, upload, response), in ms. Default 10000. */
  timeoutMs?: number;
}

/** {@link FluentdHttpTransportOptions} after defaults and env are applied; header values are redacted in inspect/JSON. */
export interface ResolvedFluentdHttpTransportOptions {
  readonly url: string;
  readonly format: "msgpack" | "json";
  readonly timeKey: string;
  readonly gzip: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly keepAlive: boolean;
  readonly maxSockets: number;
  readonly timeoutMs: number;
}

/**
 * Defaults of {@link FluentdHttpTransportOptions}: `in_http` on the seed's port 8888 on loopback,
 * msgpack bodies (exact nanosecond times, smaller than JSON), in_http's default `time` key, no gzip
 * (loopback/LAN), keep-alive with at most 4 connections, 10 s per POST.
 */
export const fluentdHttpTransportDefaults = Object.freeze({
  url: "http://127.0.0.1:8888",
  format: "msgpack",
  timeKey: "time",
  gzip: false,
  keepAlive: true,
  maxSockets: 4,
  timeoutMs: 10000,
} as const);

/** Environment variables read by {@link resolveFluentdHttpTransportOptions}; code options win over them. */
export const fluentdHttpTransportEnv = Object.freeze({
  url: "FLUENTD_HTTP_URL",
} as const);

const knownKeys: ReadonlySet<string> = new Set(["url", "format", "timeKey", "gzip", "headers", "keepAlive", "maxSockets", "timeoutMs"]);
const maxTimerMs = 2_147_483_647;
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Applies precedence (code > env > {@link fluentdHttpTransportDefaults}) and checks every value.
 * @throws TelemetryError `config_invalid` naming every bad key, its value (header values
 *   `[redacted]`) and an example of a right one. The only place this transport throws.
 * @param env - environment to read, default `process.env`.
 */
export function resolveFluentdHttpTransportOptions(
  options: FluentdHttpTransportOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedFluentdHttpTransportOptions {
  const problems: string[] = [];
  const bad = (key: string, value: unknown, expected: string): void => {
    problems.push(`${key}=${typeof value === "string" ? JSON.stringify(value) : String(value)} (expected ${expected})`);
  };
  for (const key of Object.keys(options)) if (!knownKeys.has(key)) bad(key, "…", "no such option; known: " + [...knownKeys].join(", "));

  const url = options.url ?? (env[fluentdHttpTransportEnv.url] || fluentdHttpTransportDefaults.url);
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http(s)");
    if (parsed.search !== "" || parsed.hash !== "") throw new Error("query or fragment");
  } catch {
    bad(options.url === undefined ? fluentdHttpTransportEnv.url : "url", url, 'an http(s) base URL without query, e.g. "http://fluentd:8888"');
  }
  const format = options.format ?? fluentdHttpTransportDefaults.format;
  if (format !== "msgpack" && format !== "json") bad("format", format, '"msgpack" or "json"');
  const timeKey = options.timeKey ?? fluentdHttpTransportDefaults.timeKey;
  if (typeof timeKey !== "string" || timeKey === "") bad("timeKey", timeKey, 'a record key, e.g. "time"');
  const gzip = options.gzip ?? fluentdHttpTransportDefaults.gzip;
  if (typeof gzip !== "boolean") bad("gzip", gzip, "true or false");
  const headers: Record<string, string> = {};
  if (options.headers !== undefined) {
    if (typeof options.headers !== "object" || options.headers === null) bad("headers", options.headers, '{ "x-team": "api" }');
    else {
      for (const [name, value] of Object.entries(options.headers)) {
        if (!headerName.test(name)) bad(`headers[${JSON.stringify(name)}]`, name, 'an HTTP token, e.g. "x-team"');
        else if (typeof value !== "string" || !headerValue.test(value)) bad(`headers[${JSON.stringify(name)}]`, "[redacted]", "a string without line breaks");
        else headers[name] = value;
      }
    }
  }
  const keepAlive = options.keepAlive ?? fluentdHttpTransportDefaults.keepAlive;
  if (typeof keepAlive !== "boolean") bad("keepAlive", keepAlive, "true or false");
  const maxSockets = options.maxSockets ?? fluentdHttpTransportDefaults.maxSockets;
  if (!Number.isInteger(maxSockets) || maxSockets < 1 || maxSockets > 1024) bad("maxSockets", maxSockets, "an integer 1..1024, e.g. 4");
  const timeoutMs = options.timeoutMs ?? fluentdHttpTransportDefaults.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > maxTimerMs) bad("timeoutMs", timeoutMs, "an integer number of milliseconds, e.g. 10000");

  if (problems.length > 0) throw new TelemetryError(`invalid Fluentd HTTP transport options: ${problems.join("; ")}`, "config_invalid");
  const resolved: ResolvedFluentdHttpTransportOptions = { url, format, timeKey, gzip, headers: Object.freeze(headers), keepAlive, maxSockets, timeoutMs };
  const show = (): Record<string, unknown> => redactFluentdHttpTransportOptions(resolved);
  Object.defineProperties(resolved, {
    [inspect.custom]: { value: (_depth: number, inspectOptions: object) => inspect(show(), inspectOptions) },
    toJSON: { value: show },
  });
  return Object.freeze(resolved);
}

/** A copy of `options` safe to print: header values become `[redacted]`. */
export function redactFluentdHttpTransportOptions(options: ResolvedFluentdHttpTransportOptions): Record<string, unknown> {
  return { ...options, headers: Object.fromEntries(Object.keys(options.headers).map((name) => [name, "[redacted]"])) };
}
