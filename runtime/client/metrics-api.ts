import type { MetricRegistry } from "../metrics/metric-registry.js";
import type { MetricAttributes } from "../metrics/series-table.js";

/**
 * Metrics (`telemetry.metrics`): OpenTelemetry's synchronous instruments, called by name.
 *
 * Each call returns in tens of nanoseconds once its name and attribute set were seen (a Map lookup,
 * a walk over the attributes, a number add; no allocation), never throws and never waits. Points are
 * aggregated in memory and exported over OTLP every `metrics.exportIntervalMs` (60 s by default), on
 * `flush()` and on `shutdown()`.
 *
 * - A name is checked at its first use against OpenTelemetry's instrument name syntax (a letter, then
 *   up to 254 of letters, digits, `_`, `.`, `-`, `/`), by the contract's validator; the unit (printable
 *   ASCII, at most 63 characters) is taken from the first call that names the instrument.
 * - NaN and ±Infinity are not recorded; nor are negative counter increments or histogram values, a
 *   value that is not a number, or a name first used by another kind of instrument. Each is counted
 *   by reason in `health().metrics.dropped` and said once in debug mode.
 * - Each instrument keeps at most `metrics.maxSeriesPerInstrument` series (2000, the overflow series
 *   included, as OpenTelemetry counts its cardinality limit); further attribute sets go to one series
 *   with `otel.metric.overflow: true`, counted in `health().metrics.overflowMeasurements`.
 */
export interface MetricsApi {
  /** Adds `value` (default 1; finite, ≥ 0) to the monotonic counter `name` (an OTLP Sum). */
  counter(name: string, value?: number, attributes?: MetricAttributes, unit?: string): void;
  /** Sets the gauge `name` to `value` (finite; the last value wins within an export interval). */
  gauge(name: string, value: number, attributes?: MetricAttributes, unit?: string): void;
  /** Records `value` (finite, ≥ 0) in the histogram `name`: OpenTelemetry's default explicit buckets (0, 5, 10, 25, … 10000). */
  histogram(name: string, value: number, attributes?: MetricAttributes, unit?: string): void;
}

/**
 * The existing EMP client's call shape, `telemetry.otel.gauge(name, value, attributes, unit?)`,
 * `.counter(name, value, attributes)`, `.histogram(name, value, attributes)`: the same instruments
 * as {@link MetricsApi}, so both shapes feed one series per name and attribute set.
 */
export interface OtelMetricsApi {
  /** {@link MetricsApi.gauge}. */
  gauge(name: string, value: number, attributes?: MetricAttributes, unit?: string): void;
  /** {@link MetricsApi.counter}. */
  counter(name: string, value?: number, attributes?: MetricAttributes, unit?: string): void;
  /** {@link MetricsApi.histogram}. */
  histogram(name: string, value: number, attributes?: MetricAttributes, unit?: string): void;
}

/** The metrics API over a registry; `telemetry.otel` is the same object. */
export function createMetricsApi(registry: MetricRegistry): MetricsApi & OtelMetricsApi {
  return Object.freeze({
    counter: (name: string, value: number = 1, attributes?: MetricAttributes, unit?: string): void => registry.counter(name, value, attributes, unit),
    gauge: (name: string, value: number, attributes?: MetricAttributes, unit?: string): void => registry.gauge(name, value, attributes, unit),
    histogram: (name: string, value: number, attributes?: MetricAttributes, unit?: string): void => registry.histogram(name, value, attributes, unit),
  });
}
