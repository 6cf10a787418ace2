import type { FluentdConfig } from "../../config/telemetry-config.js";
import { fluentBitConfigDefaults, type FluentBitTarget } from "./fluent-bit-config-input.js";

/**
 * The environment variables Fluent Bit must be started with for the `${…}` references of a config
 * rendered for `target`: `{ FLUENTD_SHARED_KEY: <revealed key> }` when a shared key is set, else `{}`.
 * Merge into the child's `env`; never log it. Never throws.
 */
export function fluentBitEnvironment(target: FluentBitTarget): Record<string, string> {
  if (target.protocol !== "forward" || target.sharedKey === undefined) return {};
  return { [target.sharedKeyEnv ?? fluentBitConfigDefaults.sharedKeyEnv]: target.sharedKey.reveal() };
}

/**
 * The {@link FluentBitTarget} for a resolved `config.fluentd` (protocol, host, port, TLS, shared key
 * kept as a {@link Secret}). `selfHostname` is the handshake name (our `host.name`). Never throws.
 */
export function fluentBitTargetFromConfig(fluentd: FluentdConfig, selfHostname?: string): FluentBitTarget {
  if (fluentd.protocol === "http") return { protocol: "http", host: fluentd.host, port: fluentd.port, tls: fluentd.tls };
  return {
    protocol: "forward",
    host: fluentd.host,
    port: fluentd.port,
    tls: fluentd.tls,
    ...(fluentd.sharedKey === undefined ? {} : { sharedKey: fluentd.sharedKey }),
    ...(selfHostname === undefined ? {} : { selfHostname }),
  };
}
