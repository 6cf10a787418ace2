import { isIP } from "node:net";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { hideUrlCredentials } from "../config/url-credentials.js";

/**
 * Where a sink of this configuration sends, for people reading a diagnostic: `127.0.0.1:24224` for
 * the Fluentd sink (forward or `in_http`), the endpoint URL for the OTLP sinks (a user and password
 * shown as `***`), the path for a file sink (`file:<path>`). `""` for an unknown sink. Never throws.
 */
export function sinkDestination(config: TelemetryConfig, sinkName: string): string {
  if (sinkName.startsWith("fluentd-")) {
    const host = isIP(config.fluentd.host) === 6 ? `[${config.fluentd.host}]` : config.fluentd.host;
    return `${host}:${String(config.fluentd.port)}`;
  }
  if (sinkName === "otlp-traces") return hideUrlCredentials(config.otlp.tracesEndpoint ?? "");
  if (sinkName === "otlp-logs") return hideUrlCredentials(config.otlp.logsEndpoint ?? "");
  if (sinkName === "otlp-metrics") return hideUrlCredentials(config.otlp.metricsEndpoint ?? "");
  if (sinkName.startsWith("file:")) return sinkName.slice("file:".length);
  return "";
}
