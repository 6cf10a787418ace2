import { OptionProblems } from "../config/option-problems.js";

/** Temporality of exported counters and histograms (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`). */
export type MetricsTemporality = "cumulative" | "delta";

/**
 * Options of the metrics pipeline (`telemetry.metrics`). Until the configuration reads
 * `OTEL_METRIC_EXPORT_INTERVAL`, `OTEL_METRIC_EXPORT_TIMEOUT` and
 * `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` into `config.metrics`, they come from the
 * client's `metrics` option, with the same names and defaults (see {@link metricsDefaults}).
 */
export interface MetricsOptions {
  /** Time between two exports, in ms (`OTEL_METRIC_EXPORT_INTERVAL`). Default 60000. */
  exportIntervalMs?: number;
  /** Deadline of one export request, in ms (`OTEL_METRIC_EXPORT_TIMEOUT`); the transport's own timeout applies if shorter. Default 30000. */
  exportTimeoutMs?: number;
  /** `cumulative` (OTel's default) or `delta`. Default `cumulative`. */
  temporality?: MetricsTemporality;
  /**
   * Most series per instrument, the overflow series included (OpenTelemetry's cardinality limit):
   * `maxSeriesPerInstrument - 1` attribute sets, then measurements with a new set go to the one
   * series with `otel.metric.overflow: true` and are counted. At least 2. Default 2000.
   */
  maxSeriesPerInstrument?: number;
  /** Most instruments (distinct names); calls naming another one are dropped and counted. Default 1000. */
  maxInstruments?: number;
  /**
   * Also export the client's own health as metrics at each export: per sink delivered, dropped by
   * reason, queued bytes, breaker state, and the per-hop latency of the last pipeline check
   * (`emp.telemetry.*`). Default false.
   */
  clientHealth?: boolean;
}

/** Defaults of {@link MetricsOptions}: OpenTelemetry's (PeriodicExportingMetricReader, cardinality limit 2000). */
export const metricsDefaults = Object.freeze({
  exportIntervalMs: 60_000,
  exportTimeoutMs: 30_000,
  temporality: "cumulative",
  maxSeriesPerInstrument: 2000,
  maxInstruments: 1000,
  clientHealth: false,
} as const);

/** {@link MetricsOptions} after defaults are applied and checked. */
export interface ResolvedMetricsOptions {
  readonly exportIntervalMs: number;
  readonly exportTimeoutMs: number;
  readonly temporality: MetricsTemporality;
  readonly maxSeriesPerInstrument: number;
  readonly maxInstruments: number;
  readonly clientHealth: boolean;
}

const knownKeys = ["exportIntervalMs", "exportTimeoutMs", "temporality", "maxSeriesPerInstrument", "maxInstruments", "clientHealth"] as const;

/**
 * Checks metrics options and applies {@link metricsDefaults}.
 * @throws TelemetryError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveMetricsOptions(options: MetricsOptions = {}): ResolvedMetricsOptions {
  const problems = new OptionProblems("metrics");
  problems.unknownKeys(options, knownKeys, "metrics.");
  const o = { ...metricsDefaults, ...options };
  problems.milliseconds("metrics.exportIntervalMs", o.exportIntervalMs, "60000");
  problems.milliseconds("metrics.exportTimeoutMs", o.exportTimeoutMs, "30000");
  problems.oneOf("metrics.temporality", o.temporality, ["cumulative", "delta"] as const);
  problems.integer("metrics.maxSeriesPerInstrument", o.maxSeriesPerInstrument, 2, 1_000_000, "2000");
  problems.integer("metrics.maxInstruments", o.maxInstruments, 1, 1_000_000, "1000");
  problems.boolean("metrics.clientHealth", o.clientHealth);
  problems.throwIfAny();
  return Object.freeze({
    exportIntervalMs: o.exportIntervalMs,
    exportTimeoutMs: o.exportTimeoutMs,
    temporality: o.temporality,
    maxSeriesPerInstrument: o.maxSeriesPerInstrument,
    maxInstruments: o.maxInstruments,
    clientHealth: o.clientHealth,
  });
}
