import { OptionProblems } from "../../config/option-problems.js";
import { type OtlpProtocol, type OtlpSignal, otlpProtocols } from "../../config/otlp-endpoints.js";
import { withRedactedView } from "../../config/redacted-view.js";
import {
  headerSecrets,
  httpConnectionDefaults,
  isHeaderValue,
  redactHeaders,
  resolveHttpConnectionOptions,
  type HttpConnectionOptions,
  type ResolvedHttpConnectionOptions,
} from "../http/http-options.js";

// Defined beside the endpoint rule in config/, which transports import (config imports no transport).
export type { OtlpProtocol, OtlpSignal };

/** Every {@link OtlpSignal}. */
export const otlpSignals: readonly OtlpSignal[] = Object.freeze(["traces", "logs", "metrics"]);

/**
 * Send straight to Dash0 without going through the configuration: adds `Authorization: Bearer
 * <apiKey>` and, if set, `Dash0-Dataset: <dataset>`. (A resolved configuration already carries
 * these headers; see `otlpTransportOptionsFromConfig`.)
 */
export interface Dash0Target {
  /** Dash0 auth token. Secret: never printed. */
  apiKey: string;
  /** Dash0 dataset; empty or absent = the token's default dataset. */
  dataset?: string;
}

/**
 * Options of the OTLP transports (`createOtlpHttpTransport`, `createOtlpGrpcTransport`). Every field is optional; see
 * {@link otlpExporterDefaults}. No environment variable is read: `runtime/config` reads them and
 * `otlpTransportOptionsFromConfig` turns a resolved configuration into these options.
 */
export interface OtlpExporterOptions extends HttpConnectionOptions {
  /** Which signal; default `traces`. The factories set it for you. */
  signal?: OtlpSignal;
  /**
   * Full URL of the signal endpoint, e.g. `https://ingress.eu-west-1.aws.dash0.com/v1/traces`.
   * Default `http://localhost:4318/v1/<signal>`. For `grpc`, only its origin counts (`https://ingress…:4317`;
   * default `http://localhost:4317`).
   */
  url?: string;
  /** Dash0 target; its headers replace any `Authorization` / `Dash0-Dataset` in `headers`. */
  dash0?: Dash0Target;
  /** `gzip` compresses request bodies (`Content-Encoding: gzip`). Default `none`. */
  compression?: "gzip" | "none";
  /** Wire protocol: `http/protobuf`, `http/json` or `grpc` (then `url` is `http(s)://host:port`). Default `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** PEM text of the CA certificates to trust for an `https` URL. Default: Node's default CAs. */
  ca?: string;
}

/** {@link OtlpExporterOptions} after defaults are applied; `util.inspect` and JSON redact headers and the key. */
export interface ResolvedOtlpExporterOptions extends ResolvedHttpConnectionOptions {
  readonly signal: OtlpSignal;
  readonly url: string;
  /** All request headers to send except `Content-Type`/`Content-Encoding`, Dash0 headers included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The Dash0 target, or `undefined` when none is configured. */
  readonly dash0: Readonly<Required<Dash0Target>> | undefined;
  readonly compression: "gzip" | "none";
  readonly protocol: OtlpProtocol;
  readonly ca: string | undefined;
}

/**
 * Defaults of {@link OtlpExporterOptions}: the OTLP/HTTP (and OTLP/gRPC) port of a local collector, no compression
 * (loopback; turn gzip on towards Dash0), and {@link httpConnectionDefaults} (keep-alive with at
 * most 4 connections, OTel's own 10 s export deadline).
 */
export const otlpExporterDefaults = Object.freeze({
  signal: "traces",
  endpoint: "http://localhost:4318",
  grpcEndpoint: "http://localhost:4317",
  compression: "none",
  protocol: "http/protobuf",
  ...httpConnectionDefaults,
} as const);

/** What a 401/403 message tells the user to check. */
export const otlpAuthHint = "check DASH0_API_KEY and DASH0_DATASET (or the Authorization header)";

const knownKeys = ["signal", "url", "headers", "dash0", "compression", "keepAlive", "maxSockets", "timeoutMs", "protocol", "ca"] as const;

/**
 * Applies {@link otlpExporterDefaults} to the options from code and checks every value.
 *
 * Failure behaviour: throws one `TelemetryConfigError` with code `config_invalid` naming every bad
 * key, its value (header values and the API key shown as `[redacted]`) and an example of a right one.
 */
export function resolveOtlpExporterOptions(options: OtlpExporterOptions = {}): ResolvedOtlpExporterOptions {
  const problems = new OptionProblems("OTLP exporter");
  problems.unknownKeys(options, knownKeys);
  const signal = options.signal ?? otlpExporterDefaults.signal;
  const sig = problems.oneOf("signal", signal, otlpSignals) ? signal : "traces";
  const protocol = options.protocol ?? otlpExporterDefaults.protocol;
  problems.oneOf("protocol", protocol, otlpProtocols);
  const url = options.url ?? (protocol === "grpc" ? otlpExporterDefaults.grpcEndpoint : `${otlpExporterDefaults.endpoint}/v1/${sig}`);
  problems.httpUrl("url", url, protocol === "grpc" ? otlpExporterDefaults.grpcEndpoint : `http://localhost:4318/v1/${sig}`);
  const dash0 = resolveDash0Target(problems, options.dash0);
  const dash0Headers: Record<string, string> = {};
  if (dash0 !== undefined) {
    dash0Headers.Authorization = `Bearer ${dash0.apiKey}`;
    if (dash0.dataset !== "") dash0Headers["Dash0-Dataset"] = dash0.dataset;
  }
  const connection = resolveHttpConnectionOptions(problems, options, dash0Headers);
  const compression = options.compression ?? otlpExporterDefaults.compression;
  problems.oneOf("compression", compression, ["gzip", "none"] as const);
  const { ca } = options;
  if (ca !== undefined && (typeof ca !== "string" || !ca.includes("-----BEGIN CERTIFICATE-----"))) {
    problems.add("ca", ca, "PEM text of CA certificates", "readFileSync('ca.pem', 'utf8')");
  }
  problems.throwIfAny();
  const resolved: ResolvedOtlpExporterOptions = { signal: sig, url, ...connection, dash0, compression, protocol, ca };
  return withRedactedView(resolved, () => redactOtlpExporterOptions(resolved));
}

/** A copy of `options` safe to print: every header value and the Dash0 key become `[redacted]`. */
export function redactOtlpExporterOptions(options: ResolvedOtlpExporterOptions): Record<string, unknown> {
  const headers = redactHeaders(options.headers);
  const dash0 = options.dash0 === undefined ? undefined : { apiKey: "[redacted]", dataset: options.dash0.dataset };
  return { ...options, headers, dash0 };
}

/** The secret strings of `options` (header values, the Dash0 key), for scrubbing quoted response text. */
export function otlpSecrets(options: ResolvedOtlpExporterOptions): string[] {
  const values = headerSecrets(options.headers);
  if (options.dash0) values.push(options.dash0.apiKey);
  return values;
}

function resolveDash0Target(problems: OptionProblems, target: Dash0Target | undefined): Readonly<Required<Dash0Target>> | undefined {
  if (target === undefined) return undefined;
  if (typeof target !== "object" || target === null) {
    problems.add("dash0", target, "a Dash0 target", '{ apiKey: "auth_…", dataset: "default" }');
    return undefined;
  }
  const { apiKey } = target;
  const dataset = target.dataset ?? "";
  if (!isHeaderValue(apiKey) || apiKey.trim() === "") {
    problems.add("dash0.apiKey", apiKey, "a non-empty token without line breaks", "the token from the Dash0 settings page", {
      secret: typeof apiKey === "string" && apiKey !== "",
    });
  }
  if (!isHeaderValue(dataset)) problems.add("dash0.dataset", dataset, "a dataset name", '"default"');
  const resolved = { apiKey, dataset };
  return withRedactedView(resolved, () => ({ apiKey: "[redacted]", dataset }));
}
