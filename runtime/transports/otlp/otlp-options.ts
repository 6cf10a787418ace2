import { inspect } from "node:util";
import { TelemetryError } from "../../errors/telemetry-error.js";

/** The OTLP signal an exporter or transport carries; it picks the default path `/v1/<signal>`. */
export type OtlpSignal = "traces" | "logs";

/** Send straight to Dash0: adds `Authorization: Bearer <apiKey>` and, if set, `Dash0-Dataset: <dataset>`. */
export interface Dash0Target {
  /** Dash0 auth token. Env `DASH0_API_KEY`. Secret: never printed. */
  apiKey: string;
  /** Dash0 dataset; empty or absent = the token's default dataset. Env `DASH0_DATASET`. */
  dataset?: string;
}

/**
 * Options of the OTLP/HTTP protobuf exporters and transport ({@link createOtlpTraceExporter},
 * {@link createOtlpLogExporter}, {@link createOtlpHttpTransport}). Every field is optional; see
 * {@link otlpExporterDefaults} and {@link otlpExporterEnv}.
 */
export interface OtlpExporterOptions {
  /** Which signal; default `traces`. The factories set it for you. */
  signal?: OtlpSignal;
  /**
   * Full URL of the signal endpoint, e.g. `https://ingress.eu-west-1.aws.dash0.com/v1/traces`.
   * Env `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` (full URL), else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/<signal>`, else `http://localhost:4318/v1/<signal>`.
   */
  url?: string;
  /** Extra request headers. Env `OTEL_EXPORTER_OTLP_HEADERS` (`k=v,k2=v2`, URL-encoded) and the signal-specific one. Values are treated as secrets. */
  headers?: Readonly<Record<string, string>>;
  /** Dash0 target; its headers replace any `Authorization` / `Dash0-Dataset` in `headers`. Env `DASH0_API_KEY`, `DASH0_DATASET`. */
  dash0?: Dash0Target;
  /** `gzip` compresses request bodies (`Content-Encoding: gzip`). Env `OTEL_EXPORTER_OTLP_COMPRESSION`. Default `none`. */
  compression?: "gzip" | "none";
  /** Reuse TCP/TLS connections across exports (HTTP keep-alive). Default true. */
  keepAlive?: boolean;
  /** Most concurrent connections to the endpoint. Default 4. */
  maxSockets?: number;
  /** Deadline of one export (connect, upload, response), in ms. Env `OTEL_EXPORTER_OTLP_TIMEOUT`. Default 10000. */
  timeoutMs?: number;
}

/** {@link OtlpExporterOptions} after defaults and env are applied; `util.inspect` and JSON redact headers and the key. */
export interface ResolvedOtlpExporterOptions {
  readonly signal: OtlpSignal;
  readonly url: string;
  /** All request headers to send except `Content-Type`/`Content-Encoding`, Dash0 headers included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The Dash0 target, or `undefined` when none is configured. */
  readonly dash0: Readonly<Required<Dash0Target>> | undefined;
  readonly compression: "gzip" | "none";
  readonly keepAlive: boolean;
  readonly maxSockets: number;
  readonly timeoutMs: number;
}

/**
 * Defaults of {@link OtlpExporterOptions}: the OTLP/HTTP port of a local collector, no compression
 * (loopback; turn gzip on towards Dash0), keep-alive on with at most 4 connections, and OTel's own
 * 10 s export deadline.
 */
export const otlpExporterDefaults = Object.freeze({
  signal: "traces",
  endpoint: "http://localhost:4318",
  compression: "none",
  keepAlive: true,
  maxSockets: 4,
  timeoutMs: 10000,
} as const);

/** Environment variables read by {@link resolveOtlpExporterOptions}; code options win over them. */
export const otlpExporterEnv = Object.freeze({
  endpoint: "OTEL_EXPORTER_OTLP_ENDPOINT",
  tracesEndpoint: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
  logsEndpoint: "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
  headers: "OTEL_EXPORTER_OTLP_HEADERS",
  tracesHeaders: "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
  logsHeaders: "OTEL_EXPORTER_OTLP_LOGS_HEADERS",
  compression: "OTEL_EXPORTER_OTLP_COMPRESSION",
  tracesCompression: "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
  logsCompression: "OTEL_EXPORTER_OTLP_LOGS_COMPRESSION",
  timeout: "OTEL_EXPORTER_OTLP_TIMEOUT",
  tracesTimeout: "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
  logsTimeout: "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT",
  dash0ApiKey: "DASH0_API_KEY",
  dash0Dataset: "DASH0_DATASET",
} as const);

/** What a 401/403 message tells the user to check. */
export const otlpAuthHint = `check ${otlpExporterEnv.dash0ApiKey} and ${otlpExporterEnv.dash0Dataset} (or the Authorization header)`;

const knownKeys: ReadonlySet<string> = new Set(["signal", "url", "headers", "dash0", "compression", "keepAlive", "maxSockets", "timeoutMs"]);
const maxTimerMs = 2_147_483_647;
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Applies precedence (code > env > {@link otlpExporterDefaults}) and checks every value.
 *
 * Failure behaviour: throws one `TelemetryError` with code `config_invalid` naming every bad key,
 * its value (header values and the API key shown as `[redacted]`) and an example of a right one.
 * @param env - environment to read, default `process.env`.
 */
export function resolveOtlpExporterOptions(options: OtlpExporterOptions = {}, env: Env = process.env): ResolvedOtlpExporterOptions {
  const problems: string[] = [];
  const bad = (key: string, value: unknown, expected: string): void => {
    problems.push(`${key}=${typeof value === "string" ? JSON.stringify(value) : String(value)} (expected ${expected})`);
  };
  for (const key of Object.keys(options)) if (!knownKeys.has(key)) bad(key, "…", "no such option; known: " + [...knownKeys].join(", "));

  const signal = options.signal ?? otlpExporterDefaults.signal;
  if (signal !== "traces" && signal !== "logs") bad("signal", signal, '"traces" or "logs"');
  const sig = signal === "logs" ? "logs" : "traces";
  const pick = (generic: keyof typeof otlpExporterEnv, traces: keyof typeof otlpExporterEnv, logs: keyof typeof otlpExporterEnv): [string, string | undefined] => {
    const specific = otlpExporterEnv[sig === "logs" ? logs : traces];
    const value = env[specific];
    return value ? [specific, value] : [otlpExporterEnv[generic], env[otlpExporterEnv[generic]] || undefined];
  };

  // url
  let url: string;
  let urlKey = "url";
  if (options.url !== undefined) url = options.url;
  else {
    const specific = env[sig === "logs" ? otlpExporterEnv.logsEndpoint : otlpExporterEnv.tracesEndpoint];
    const generic = env[otlpExporterEnv.endpoint];
    if (specific) [url, urlKey] = [specific, sig === "logs" ? otlpExporterEnv.logsEndpoint : otlpExporterEnv.tracesEndpoint];
    else if (generic) [url, urlKey] = [`${generic.replace(/\/+$/, "")}/v1/${sig}`, otlpExporterEnv.endpoint];
    else url = `${otlpExporterDefaults.endpoint}/v1/${sig}`;
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") bad(urlKey, url, `an http(s) URL, e.g. "http://localhost:4318/v1/${sig}"`);
  } catch {
    bad(urlKey, url, `an http(s) URL, e.g. "http://localhost:4318/v1/${sig}"`);
  }

  // headers: env first, code on top, Dash0 last
  const headers: Record<string, string> = {};
  const [headersKey, headersEnv] = pick("headers", "tracesHeaders", "logsHeaders");
  if (headersEnv !== undefined) {
    for (const part of headersEnv.split(",")) {
      if (part.trim() === "") continue;
      const eq = part.indexOf("=");
      let name = "";
      let value = "";
      try {
        name = decodeURIComponent(part.slice(0, eq).trim());
        value = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        name = "";
      }
      if (eq <= 0 || !headerName.test(name)) bad(headersKey, "[redacted]", 'comma-separated name=value pairs, e.g. "x-team=api,x-env=prod"');
      else setHeader(headers, name, value);
    }
  }
  if (options.headers !== undefined) {
    if (typeof options.headers !== "object" || options.headers === null) bad("headers", options.headers, '{ "x-team": "api" }');
    else for (const [name, value] of Object.entries(options.headers)) setHeader(headers, name, value);
  }

  // Dash0
  let dash0: Required<Dash0Target> | undefined;
  const dash0Option = options.dash0;
  if (dash0Option !== undefined) {
    if (typeof dash0Option !== "object" || dash0Option === null) bad("dash0", dash0Option, '{ apiKey: "auth_…", dataset: "default" }');
    else dash0 = { apiKey: dash0Option.apiKey, dataset: dash0Option.dataset ?? env[otlpExporterEnv.dash0Dataset] ?? "" };
  } else if (env[otlpExporterEnv.dash0ApiKey]) {
    dash0 = { apiKey: env[otlpExporterEnv.dash0ApiKey] ?? "", dataset: env[otlpExporterEnv.dash0Dataset] ?? "" };
  }
  if (dash0 !== undefined) {
    const keyName = options.dash0 !== undefined ? "dash0.apiKey" : otlpExporterEnv.dash0ApiKey;
    if (typeof dash0.apiKey !== "string" || dash0.apiKey.trim() === "" || !headerValue.test(dash0.apiKey)) {
      bad(keyName, typeof dash0.apiKey === "string" && dash0.apiKey !== "" ? "[redacted]" : dash0.apiKey, "a non-empty token without line breaks, e.g. from the Dash0 settings page");
    }
    if (typeof dash0.dataset !== "string" || !headerValue.test(dash0.dataset)) bad("dash0.dataset", dash0.dataset, 'a dataset name, e.g. "default"');
    setHeader(headers, "Authorization", `Bearer ${dash0.apiKey}`);
    if (dash0.dataset !== "") setHeader(headers, "Dash0-Dataset", dash0.dataset);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!headerName.test(name)) bad(`headers[${JSON.stringify(name)}]`, name, 'an HTTP token, e.g. "x-team"');
    if (typeof value !== "string" || !headerValue.test(value)) bad(`headers[${JSON.stringify(name)}]`, "[redacted]", "a string without line breaks");
  }

  // compression, keepAlive, maxSockets, timeoutMs
  const [compressionKey, compressionEnv] = pick("compression", "tracesCompression", "logsCompression");
  const compression = options.compression ?? compressionEnv ?? otlpExporterDefaults.compression;
  if (compression !== "gzip" && compression !== "none") bad(options.compression === undefined ? compressionKey : "compression", compression, '"gzip" or "none"');
  const keepAlive = options.keepAlive ?? otlpExporterDefaults.keepAlive;
  if (typeof keepAlive !== "boolean") bad("keepAlive", keepAlive, "true or false");
  const maxSockets = options.maxSockets ?? otlpExporterDefaults.maxSockets;
  if (!Number.isInteger(maxSockets) || maxSockets < 1 || maxSockets > 1024) bad("maxSockets", maxSockets, "an integer 1..1024, e.g. 4");
  const [timeoutKey, timeoutEnv] = pick("timeout", "tracesTimeout", "logsTimeout");
  const timeoutMs = options.timeoutMs ?? (timeoutEnv !== undefined ? Number(timeoutEnv) : otlpExporterDefaults.timeoutMs);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > maxTimerMs) {
    bad(options.timeoutMs === undefined ? timeoutKey : "timeoutMs", options.timeoutMs ?? timeoutEnv, "an integer number of milliseconds, e.g. 10000");
  }

  if (problems.length > 0) throw new TelemetryError(`invalid OTLP exporter options: ${problems.join("; ")}`, "config_invalid");
  return redacted({
    signal: sig,
    url,
    headers: masked(headers, () => redactHeaders(headers)),
    dash0: dash0 === undefined ? undefined : masked(dash0, () => ({ apiKey: "[redacted]", dataset: dash0.dataset })),
    compression: compression === "gzip" ? "gzip" : "none",
    keepAlive,
    maxSockets,
    timeoutMs,
  });
}

/** A copy of `options` safe to print: every header value and the Dash0 key become `[redacted]`. */
export function redactOtlpExporterOptions(options: ResolvedOtlpExporterOptions): Record<string, unknown> {
  const headers = redactHeaders(options.headers);
  const dash0 = options.dash0 === undefined ? undefined : { apiKey: "[redacted]", dataset: options.dash0.dataset };
  return { ...options, headers, dash0 };
}

/** The secret strings of `options` (header values, the Dash0 key), for scrubbing quoted response text. */
export function otlpSecrets(options: ResolvedOtlpExporterOptions): string[] {
  const values = Object.values(options.headers).filter((v) => v.length >= 6);
  if (options.dash0) values.push(options.dash0.apiKey);
  return values;
}

/** Sets a header, replacing any case-insensitive duplicate. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  headers[name] = value;
}

function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, "[redacted]"]));
}

function redacted(options: ResolvedOtlpExporterOptions): ResolvedOtlpExporterOptions {
  return masked(options, () => redactOtlpExporterOptions(options));
}

/** Freezes `target` and makes `util.inspect` and `JSON.stringify` show `show()` (non-enumerable, so spreads skip it). */
function masked<T extends object>(target: T, show: () => Record<string, unknown>): Readonly<T> {
  Object.defineProperties(target, {
    [inspect.custom]: { value: (_depth: number, inspectOptions: object) => inspect(show(), inspectOptions) },
    toJSON: { value: show },
  });
  return Object.freeze(target);
}
