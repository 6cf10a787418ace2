import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import type { TelemetryConfig, TelemetryConfigOptions } from "../../runtime/config/telemetry-config.js";

export interface DiagnosticsConfigOptions {
  /** Fluentd: port (host 127.0.0.1), protocol, shared key; `false` turns the sink off. Default off. */
  fluentd?: { port: number; protocol?: "forward" | "http"; sharedKey?: string; tls?: boolean } | false;
  /** OTLP base URL (`/v1/traces`, `/v1/logs` appended) or per-signal URLs; `false` = off. Default off. */
  otlp?: { endpoint?: string; tracesEndpoint?: string; logsEndpoint?: string; headers?: Record<string, string>; gzip?: boolean; logs?: boolean } | false;
  /** Dash0 endpoint, key and dataset. Default none. */
  dash0?: { endpoint: string; apiKey: string; dataset?: string };
}

export function diagnosticsConfig(options: DiagnosticsConfigOptions = {}): TelemetryConfig {
  const config: TelemetryConfigOptions = { serviceName: "diag-test", serviceType: "api", environment: "test" };
  const fluentd = options.fluentd ?? false;
  config.fluentd =
    fluentd === false
      ? { enabled: false }
      : {
          enabled: true,
          host: "127.0.0.1",
          port: fluentd.port,
          protocol: fluentd.protocol ?? "forward",
          tls: fluentd.tls ?? false,
          ...(fluentd.sharedKey === undefined ? {} : { sharedKey: fluentd.sharedKey }),
        };
  const otlp = options.otlp ?? false;
  config.otlp = otlp === false ? { traces: false, logs: false } : { ...otlp, gzip: otlp.gzip ?? false, traces: true, logs: otlp.logs ?? false };
  if (options.dash0 !== undefined) config.dash0 = options.dash0;
  return resolveTelemetryConfig(config, {});
}
