import { inspect } from "node:util";
import type { ForwardTransportOptions } from "../transports/forward/forward-transport-options.js";
import { redactedText } from "./secret.js";
import type { TelemetryConfig } from "./telemetry-config.js";

/**
 * The {@link ForwardTransportOptions} for `createForwardTransport` / `resolveForwardTransportOptions`
 * from a resolved config: host, port, TLS, shared key (revealed) and our hostname, every one set
 * explicitly so the transport's own env lookup never applies. `undefined` when the Fluentd sink is
 * off or speaks `http`. The result prints the shared key as `[redacted]` (inspect, JSON); it is
 * frozen and meant to be passed straight on. Never throws.
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
  const show = (): Record<string, unknown> => ({ ...options, sharedKey: options.sharedKey === "" ? "" : redactedText });
  Object.defineProperties(options, {
    [inspect.custom]: { value: (_depth: number, inspectOptions: object) => inspect(show(), inspectOptions) },
    toJSON: { value: show },
  });
  return Object.freeze(options);
}
