/**
 * `@emp/telemetry/daemon-config`: the configurations of the daemons between a service and Dash0,
 * rendered from the same settings the client resolves. Fluent Bit tails the client's NDJSON files
 * and ships them to Fluentd; Fluentd aggregates forward and `in_http` input and sends it to Dash0;
 * the OpenTelemetry Collector takes OTLP in and sends it to Dash0. Secrets appear only as
 * environment references (`${FLUENTD_SHARED_KEY}`, `${env:DASH0_API_KEY}`).
 */
export { fluentBitConfigDefaults } from "./fluent-bit/fluent-bit-config-input.js";
export type {
  FluentBitConfigFormat,
  FluentBitConfigInput,
  FluentBitFileInput,
  FluentBitForwardTarget,
  FluentBitHttpTarget,
  FluentBitTarget,
  FluentBitTlsInput,
} from "./fluent-bit/fluent-bit-config-input.js";
export { renderFluentBitConfig, renderFluentBitParsers } from "./fluent-bit/render-config.js";
export { writeFluentBitConfig } from "./fluent-bit/write-config.js";
export type { WriteFluentBitConfigOptions, WriteFluentBitConfigResult } from "./fluent-bit/write-config.js";
export { fluentdConfigDefaults, renderFluentdConfig } from "./fluentd/render-fluentd-config.js";
export type { FluentdConfigOptions } from "./fluentd/render-fluentd-config.js";
export { collectorConfigDefaults, renderCollectorConfig } from "./otel-collector/render-collector-config.js";
export type { CollectorConfigOptions } from "./otel-collector/render-collector-config.js";
