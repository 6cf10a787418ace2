import { otlpSignalUrl } from "../config/otlp-endpoints.js";
import { revealHeaders, Secret } from "../config/secret.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import type { FluentdPeer } from "./fluentd/fluentd-failures.js";
import type { OtlpRequestTarget } from "./otlp/otlp-request.js";
import type { ResolvedPipelineTestOptions } from "./pipeline-test-options.js";
import { scrubSecrets } from "../config/known-secrets.js";
import { displayUrl } from "./core/redaction.js";

/**
 * What every check reads: the resolved config and options, and the revealed secrets to scrub from
 * any text a report carries. Built once by `createPipelineTests`; never printed.
 */
export interface CheckContext {
  readonly config: TelemetryConfig;
  readonly options: ResolvedPipelineTestOptions;
  /** Revealed secret values (shared key, API key, header values, and tokens after `Bearer `). */
  readonly secrets: readonly string[];
}

/** Builds the {@link CheckContext}, collecting every secret of `config`. Never throws. */
export function createCheckContext(config: TelemetryConfig, options: ResolvedPipelineTestOptions): CheckContext {
  const secrets = new Set<string>();
  const add = (secret: Secret | undefined): void => {
    if (secret === undefined) return;
    const value = secret.reveal();
    if (value === "") return;
    secrets.add(value);
    const bearer = /^bearer\s+(.+)$/i.exec(value);
    if (bearer?.[1] !== undefined) secrets.add(bearer[1]);
  };
  add(config.fluentd.sharedKey);
  add(config.dash0.apiKey);
  for (const value of Object.values(config.otlp.headers)) if (value instanceof Secret) add(value);
  for (const settings of Object.values(config.otlp.signals)) for (const value of Object.values(settings.headers)) if (value instanceof Secret) add(value);
  // Longest first, so a token inside a longer secret is not half-replaced.
  return { config, options, secrets: [...secrets].sort((a, b) => b.length - a.length) };
}

/** The Fluentd peer of the config (host, port, TLS). */
export function fluentdPeerOf(config: TelemetryConfig): FluentdPeer {
  return { host: config.fluentd.host, port: config.fluentd.port, tls: config.fluentd.tls };
}

/**
 * Where `otel()` sends: the traces endpoint (else the logs endpoint) with that signal's protocol,
 * headers, gzip and CA (`config.otlp.signals[signal]`); `undefined` when OTLP export is off. With Dash0
 * as the OTLP target the texts speak of Dash0.
 */
export function otelTargetOf(context: CheckContext, signal?: "traces" | "logs"): OtlpRequestTarget | undefined {
  const { otlp, dash0 } = context.config;
  const chosen = signal ?? (otlp.tracesEndpoint !== undefined ? "traces" : "logs");
  const url = chosen === "traces" ? otlp.tracesEndpoint : otlp.logsEndpoint;
  if (url === undefined) return undefined;
  const settings = otlp.signals[chosen];
  return {
    url,
    headers: revealHeaders(settings.headers),
    ca: settings.certificate,
    peer: {
      target: otlp.target,
      signal: chosen,
      protocol: settings.protocol,
      endpoint: shownUrl(url, context),
      gzip: settings.gzip,
      dataset: otlp.target === "dash0" ? dash0.dataset : undefined,
    },
    secrets: context.secrets,
  };
}

/**
 * Where `dash0()` sends: with Dash0 as the OTLP target, the traces endpoint with its protocol, gzip and
 * CA; else `<DASH0_ENDPOINT>/v1/traces` over OTLP/HTTP protobuf. Always with `Authorization: Bearer
 * <DASH0_API_KEY>` and `Dash0-Dataset` when a dataset is set; `undefined` without an endpoint or key.
 */
export function dash0TargetOf(context: CheckContext): OtlpRequestTarget | undefined {
  const { dash0, otlp } = context.config;
  if (dash0.endpoint === undefined || dash0.apiKey === undefined) return undefined;
  const otlpUrl = otlp.target === "dash0" ? otlp.tracesEndpoint : undefined;
  const viaOtlp = otlpUrl !== undefined;
  const url = otlpUrl ?? otlpSignalUrl(dash0.endpoint, "traces");
  const settings = otlp.signals.traces;
  const headers: Record<string, string> = { Authorization: `Bearer ${dash0.apiKey.reveal()}` };
  if (dash0.dataset !== undefined) headers["Dash0-Dataset"] = dash0.dataset;
  return {
    url,
    headers,
    ca: viaOtlp ? settings.certificate : undefined,
    peer: {
      target: "dash0",
      signal: "traces",
      protocol: viaOtlp ? settings.protocol : "http/protobuf",
      endpoint: shownUrl(url, context),
      gzip: viaOtlp ? settings.gzip : otlp.gzip,
      dataset: dash0.dataset,
    },
    secrets: context.secrets,
  };
}

/** A URL as reports show it: credentials and query values redacted, secrets scrubbed. */
export function shownUrl(url: string, context: CheckContext): string {
  return scrubSecrets(displayUrl(url), context.secrets);
}
