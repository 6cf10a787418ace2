import { isIP } from "node:net";
import { withRedactedView } from "../config/redacted-view.js";
import { redactedText, revealHeaders } from "../config/secret.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import type { FluentdHttpTransportOptions } from "../transports/fluentd-http/fluentd-http-options.js";
import type { ForwardTransportOptions } from "../transports/forward/forward-transport-options.js";
import type { OtlpExporterOptions, OtlpSignal } from "../transports/otlp/otlp-options.js";

// The configuration is the one reader of the environment; these adapters hand its resolved values
// to the transports as explicit options. Each result is frozen, prints its secrets as `[redacted]`
// (util.inspect, JSON) and is meant to be passed straight to the transport's factory. They sit
// where the sinks are wired (client-sinks.ts): config/ knows no transport, transports import config/.

/**
 * The {@link ForwardTransportOptions} for `createForwardTransport` from a resolved config: host,
 * port, TLS, shared key (revealed) and our hostname. `undefined` when the Fluentd sink is off or
 * speaks `http`. Never throws.
 */
export function forwardTransportOptionsFromConfig(config: TelemetryConfig): ForwardTransportOptions | undefined {
  const { fluentd, service } = config;
  if (!fluentd.enabled || fluentd.protocol !== "forward") return undefined;
  const options: ForwardTransportOptions = {
    host: fluentd.host,
    port: fluentd.port,
    tls: fluentd.tls,
    sharedKey: fluentd.sharedKey?.reveal() ?? "",
    selfHostname: service.host,
  };
  return withRedactedView(options, () => ({ ...options, sharedKey: options.sharedKey === "" ? "" : redactedText }));
}

/**
 * The {@link FluentdHttpTransportOptions} for `createFluentdHttpTransport` from a resolved config:
 * `url` is `http(s)://<FLUENTD_HOST>:<FLUENTD_PORT>` (`https` with `FLUENTD_TLS`; an IPv6 address
 * in brackets). `undefined` when the Fluentd sink is off or speaks `forward`. Never throws.
 */
export function fluentdHttpOptionsFromConfig(config: TelemetryConfig): FluentdHttpTransportOptions | undefined {
  const { fluentd } = config;
  if (!fluentd.enabled || fluentd.protocol !== "http") return undefined;
  const host = isIP(fluentd.host) === 6 ? `[${fluentd.host}]` : fluentd.host;
  return Object.freeze({ url: `${fluentd.tls ? "https" : "http"}://${host}:${String(fluentd.port)}` });
}

/**
 * The {@link OtlpExporterOptions} of one signal for `createOtlpHttpTransport` (or the OTel
 * exporters) from a resolved config: `url` is the signal's endpoint, `headers` are the signal's
 * (`config.otlp.signals[signal].headers`, revealed: every signal's, then its own, and with Dash0 as the
 * target `Authorization: Bearer …` and `Dash0-Dataset`), `compression` follows the signal's `gzip`,
 * then protocol, deadline and CA. `undefined` when that signal is not exported over OTLP. Never throws.
 */
export function otlpTransportOptionsFromConfig(config: TelemetryConfig, signal: OtlpSignal): OtlpExporterOptions | undefined {
  const url = { traces: config.otlp.tracesEndpoint, logs: config.otlp.logsEndpoint, metrics: config.otlp.metricsEndpoint }[signal];
  if (url === undefined) return undefined;
  const { protocol, timeoutMs, certificate, headers: configHeaders, gzip } = config.otlp.signals[signal];
  const headers = revealHeaders(configHeaders);
  const options: OtlpExporterOptions = {
    signal,
    url,
    headers: withRedactedView(headers, () => configHeaders),
    compression: gzip ? "gzip" : "none",
    protocol,
    timeoutMs,
    ...(certificate === undefined ? {} : { ca: certificate }),
  };
  return withRedactedView(options, () => ({ ...options, headers: configHeaders }));
}
