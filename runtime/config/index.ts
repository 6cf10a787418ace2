export { resolveTelemetryConfig } from "./resolve-config.js";
export type {
  ConfigWarning,
  Dash0Config,
  FluentdConfig,
  OtlpConfig,
  ServiceIdentity,
  TelemetryConfig,
  TelemetryConfigOptions,
} from "./telemetry-config.js";
export { Secret, redactedText, revealHeaders } from "./secret.js";
export type { ConfigHeaders } from "./secret.js";
export {
  fluentdDefaultPorts,
  fluentdProtocols,
  renderServiceDefaultsTable,
  serviceTypeDefaults,
  serviceTypes,
} from "./service-defaults.js";
export type { FluentdProtocol, ServiceType, ServiceTypeDefaults } from "./service-defaults.js";
export { knownEnvNames, renderEnvTable, telemetryConfigEnv, telemetryEnvPrefixes } from "./env-table.js";
export type { EnvAlias, EnvVariable, TelemetryEnvName } from "./env-table.js";
export { isOtelStandardEnvName, otelStandardEnvNames, otelStandardEnvPrefixes } from "./otel-standard-env.js";
export { damerauLevenshteinDistance, findMisspelledEnvNames, hasSameLetters, suggestEnvName } from "./did-you-mean.js";
export { otlpSignalUrl } from "./otlp-endpoints.js";
export { TelemetryConfigError } from "../errors/telemetry-config-error.js";
export type { ConfigProblem } from "../errors/telemetry-config-error.js";
export { serviceMetadataFromConfig } from "./service-metadata.js";
