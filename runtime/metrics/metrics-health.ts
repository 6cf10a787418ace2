/**
 * Why a measurement was not recorded:
 * - `invalid_name`: the name breaks OpenTelemetry's instrument name syntax (or the unit the contract's rule);
 * - `invalid_value`: the value is not a number;
 * - `non_finite`: NaN or ±Infinity (OpenTelemetry: not recorded);
 * - `negative`: a negative counter increment or histogram value (OpenTelemetry's JS SDK drops them too);
 * - `kind_conflict`: the name was first used by another kind of instrument;
 * - `invalid_attributes`: an attribute value that is not a primitive or a list of primitives, or a
 *   set past the contract's bounds (128 pairs, keys of 1..256 characters);
 * - `too_many_instruments`: a new name past `maxInstruments`;
 * - `shutdown`: after `shutdown()`.
 */
export type MetricDropReason =
  | "invalid_name"
  | "invalid_value"
  | "non_finite"
  | "negative"
  | "kind_conflict"
  | "invalid_attributes"
  | "too_many_instruments"
  | "shutdown"
  | "internal_error";

/** Every {@link MetricDropReason}, in a stable order. */
export const metricDropReasons: readonly MetricDropReason[] = Object.freeze([
  "invalid_name",
  "invalid_value",
  "non_finite",
  "negative",
  "kind_conflict",
  "invalid_attributes",
  "too_many_instruments",
  "shutdown",
  "internal_error",
] as const);

/** The metrics path's own accounting, in `health().metrics`. Delivery of the exported points is the `otlp-metrics` sink's. */
export interface MetricsHealth {
  /** Instruments (distinct names) in use. */
  readonly instruments: number;
  /** Attribute sets (series) over every instrument, overflow series included. */
  readonly series: number;
  /** Measurements recorded into an `otel.metric.overflow` series because their instrument reached `maxSeriesPerInstrument` series. */
  readonly overflowMeasurements: number;
  /** Measurements not recorded, by reason. */
  readonly dropped: Readonly<Record<MetricDropReason, number>>;
  /** Sum of `dropped`. */
  readonly droppedTotal: number;
  /** Collections done (periodic exports, flushes, the one at shutdown). */
  readonly collections: number;
  /** Points the contract's validator refused at collection (e.g. a sum grown past the largest double); counted as `invalid` drops of the sink too. */
  readonly invalidPoints: number;
  /** Errors caught while collecting (bugs); should stay 0. */
  readonly collectErrors: number;
}

/** Mutable counters behind {@link MetricsHealth}. */
export class MetricsCounters {
  readonly dropped: Record<MetricDropReason, number> = {
    invalid_name: 0,
    invalid_value: 0,
    non_finite: 0,
    negative: 0,
    kind_conflict: 0,
    invalid_attributes: 0,
    too_many_instruments: 0,
    shutdown: 0,
    internal_error: 0,
  };
  overflowMeasurements = 0;
  collections = 0;
  invalidPoints = 0;
}
