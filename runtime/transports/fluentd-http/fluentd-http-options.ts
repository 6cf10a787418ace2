import { OptionProblems } from "../../config/option-problems.js";
import { withRedactedView } from "../../config/redacted-view.js";
import {
  httpConnectionDefaults,
  redactHeaders,
  resolveHttpConnectionOptions,
  type HttpConnectionOptions,
  type ResolvedHttpConnectionOptions,
} from "../http/http-options.js";

/**
 * Options of {@link createFluentdHttpTransport}. Every field is optional; see
 * {@link fluentdHttpTransportDefaults}. No environment variable is read: `fluentdHttpOptionsFromConfig`
 * builds these from a resolved configuration (`FLUENTD_PROTOCOL=http`, `FLUENTD_HOST`, `FLUENTD_PORT`).
 */
export interface FluentdHttpTransportOptions extends HttpConnectionOptions {
  /**
   * Base URL of Fluentd's `in_http` input; a batch is POSTed to `<url path>/<tag>`.
   * Default `http://127.0.0.1:8888` (the seed's `fluentdPort`). `in_http` closes idle keep-alive
   * connections after its `keepalive_timeout` (10 s); the client reconnects.
   */
  url?: string;
  /**
   * Body format, sent as the `Content-Type`: `msgpack` (`application/msgpack`, per-record time as an
   * EventTime: nanoseconds kept) or `json` (`application/json`, time as float seconds: about 0.25 µs
   * resolution today). The batches must be encoded to match (`createInHttpMsgpackEncoder` or
   * `createInHttpJsonEncoder`; the client picks by this option). Default `msgpack`.
   */
  format?: "msgpack" | "json";
  /** gzip request bodies (`Content-Encoding: gzip`, which `in_http` decodes). Default false. */
  gzip?: boolean;
}

/** {@link FluentdHttpTransportOptions} after defaults are applied; header values are redacted in inspect/JSON. */
export interface ResolvedFluentdHttpTransportOptions extends ResolvedHttpConnectionOptions {
  readonly url: string;
  readonly format: "msgpack" | "json";
  readonly gzip: boolean;
}

/**
 * Defaults of {@link FluentdHttpTransportOptions}: `in_http` on the seed's port 8888 on loopback,
 * msgpack bodies (exact nanosecond times, smaller than JSON), no gzip
 * (loopback/LAN), and {@link httpConnectionDefaults} (keep-alive, at most 4 connections, 10 s per POST).
 */
export const fluentdHttpTransportDefaults = Object.freeze({
  url: "http://127.0.0.1:8888",
  format: "msgpack",
  gzip: false,
  ...httpConnectionDefaults,
} as const);

const knownKeys = ["url", "format", "gzip", "headers", "keepAlive", "maxSockets", "timeoutMs"] as const;

/**
 * Applies {@link fluentdHttpTransportDefaults} to the options from code and checks every value.
 * @throws TelemetryConfigError `config_invalid` naming every bad key, its value (header values
 *   `[redacted]`) and an example of a right one. The only place this transport throws.
 */
export function resolveFluentdHttpTransportOptions(options: FluentdHttpTransportOptions = {}): ResolvedFluentdHttpTransportOptions {
  const problems = new OptionProblems("Fluentd HTTP transport");
  problems.unknownKeys(options, knownKeys);
  const url = options.url ?? fluentdHttpTransportDefaults.url;
  problems.httpUrl("url", url, "http://fluentd:8888", { base: true });
  const format = options.format ?? fluentdHttpTransportDefaults.format;
  problems.oneOf("format", format, ["msgpack", "json"] as const);
  const gzip = options.gzip ?? fluentdHttpTransportDefaults.gzip;
  problems.boolean("gzip", gzip);
  const connection = resolveHttpConnectionOptions(problems, options);
  problems.throwIfAny();
  const resolved: ResolvedFluentdHttpTransportOptions = { url, format, gzip, ...connection };
  return withRedactedView(resolved, () => redactFluentdHttpTransportOptions(resolved));
}

/** A copy of `options` safe to print: header values become `[redacted]`. */
export function redactFluentdHttpTransportOptions(options: ResolvedFluentdHttpTransportOptions): Record<string, unknown> {
  return { ...options, headers: redactHeaders(options.headers) };
}
