/**
 * @emp/telemetry: one telemetry contract and one client for every EMP service.
 *
 * This is what a service imports: the client, the types of its options and reports, its
 * configuration, and the errors it can see. Each name is listed here by hand; nothing is re-exported
 * wholesale. Other entry points load only when imported (see the `exports` map):
 * `@emp/telemetry/contract` (the contract's types, builders, validators and mappers), `/bridges`
 * (winston and pino), `/health-service`, `/fluent-bit` (daemon configurations), `/collector` (the local
 * collector), `/check`, `/contract-test` and `/cli`.
 */

// The client and what its APIs take and give.
export { EmpTelemetryClient } from "./client/emp-telemetry-client.js";
export { clientDefaults } from "./client/client-options.js";
export type { EmpTelemetryClientOptions, LogLevelName } from "./client/client-options.js";
export type { ClientFlushReport, ClientHealth } from "./client/client-health.js";
export type { ClientPipelineTests } from "./client/client-pipeline-tests.js";
export type { LogApi, LogMethod } from "./client/log-api.js";
export type { AddFileOptions, LogFileRouting } from "./client/add-file-options.js";
export type { BeforeSend } from "./client/log-writer.js";
export type { ConsoleFormat } from "./config/console-format.js";
export type { SpanKindName, SpanOptions, TraceApi } from "./client/trace-api.js";
export type { StartupApi } from "./client/startup-api.js";
export type { JobApi, JobControl, JobLike, ProcessJobOptions } from "./client/job-api.js";
export type { ContextApi } from "./client/context-api.js";

// Metrics: `telemetry.metrics` / `telemetry.otel`, their options and their accounting.
export type { MetricsApi, OtelMetricsApi } from "./client/metrics-api.js";
export type { MetricAttributes, MetricAttributeValue } from "./metrics/series-table.js";
export { metricsDefaults } from "./metrics/metrics-options.js";
export type { MetricsOptions, MetricsTemporality } from "./metrics/metrics-options.js";
export { metricDropReasons } from "./metrics/metrics-health.js";
export type { MetricDropReason, MetricsHealth } from "./metrics/metrics-health.js";

// Configuration: explicit options, then the environment, then the service type's defaults.
export { resolveTelemetryConfig } from "./config/resolve-config.js";
export { serviceTypes, serviceTypeDefaults } from "./config/service-defaults.js";
export type { ServiceType, ServiceTypeDefaults, FluentdProtocol } from "./config/service-defaults.js";
export type {
  ConfigWarning,
  Dash0Config,
  FluentdConfig,
  OtlpConfig,
  ServiceIdentity,
  TelemetryConfigOptions,
} from "./config/telemetry-config.js";
// The OpenTelemetry variables' settings (otel-env).
export type { MetricsConfig, OtlpPerSignalOptions, OtlpSignalSettings, SpanLimitsConfig, TracingConfig } from "./config/telemetry-config.js";
export type { TraceSamplerName } from "./config/trace-sampler-names.js";
export { Secret } from "./config/secret.js";
export type { ConfigHeaders } from "./config/secret.js";

// Delivery: what `health()`, `flush()` and `shutdown()` report per sink.
export type { SinkTarget } from "./reliability/sink/options.js";
export type { FlushReport, ShutdownReport, SinkHealth } from "./reliability/sink/reports.js";
export type { SpoolHealth } from "./reliability/spool/spool-health.js";
export type { ClientSpoolOptions } from "./client/client-spool.js";
export type { SpoolFsync } from "./reliability/spool/spool-options.js";
export { dropReasons } from "./reliability/delivery-accounting.js";
export type { DeliverySnapshot, DropReason, LastError } from "./reliability/delivery-accounting.js";
export type { BreakerState } from "./reliability/circuit-breaker.js";
export type { RepairCounts } from "./records/repair.js";
export type { LogCounters } from "./client/log-writer.js";

// Errors: construction is the only place the client throws; every error has a stable `code`.
export { TelemetryError } from "./errors/telemetry-error.js";
export type { TelemetryErrorCode } from "./errors/telemetry-error.js";
export { TelemetryConfigError } from "./errors/telemetry-config-error.js";
export type { ConfigProblem } from "./errors/telemetry-config-error.js";
export { MissingDependencyError } from "./errors/missing-dependency-error.js";

// The seed's names and the existing client's call shapes (README, "Migrating from the existing client").
// `TelemetryConfig` is the seed's class; its instances are resolved configurations, the type
// `client.config` has (also named `ResolvedTelemetryConfig`). `StandardLogEntry` / `StandardTraceSpan`
// here are the plain views (the seed's shapes); the Protobuf messages of those names are in `/contract`.
export { TelemetryConfig } from "./config/telemetry-config-class.js";
export type { TelemetryConfigDefaults, TelemetryConfigInit } from "./config/telemetry-config-class.js";
export type { TelemetryConfig as ResolvedTelemetryConfig } from "./config/telemetry-config.js";
export { ConnectionManager, connectionManagerDefaults } from "./compat/connection-manager.js";
export type { ConnectionManagerOptions, PipelineHealth } from "./compat/connection-manager.js";
export type { FluentdClient } from "./compat/fluentd-client.js";
export type { OtelClient } from "./compat/otel-client.js";
export { createTelemetryClient } from "./compat/create-telemetry-client.js";
export type { LegacyClientConfig } from "./compat/create-telemetry-client.js";
export type { ClientPipelineTests as TelemetryTest } from "./client/client-pipeline-tests.js";
export type { StartupCheckOptions, StartupCheckReport } from "./client/startup-check.js";
export type { SendResult } from "./transports/transport.js";
export type { StandardLogEntryView as StandardLogEntry, StandardTraceSpanView as StandardTraceSpan } from "../generated/index.js";
