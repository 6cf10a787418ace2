import type { Value } from "../../generated/index.js";

/**
 * OpenTelemetry's default explicit bucket boundaries for histograms (the SDK specification's
 * `[0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]`): bucket `i` holds
 * values in `(bounds[i-1], bounds[i]]`, the last one everything above 10000.
 */
export const defaultHistogramBoundaries: readonly number[] = Object.freeze([0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);

/**
 * The running aggregate of one instrument for one attribute set. One class for every kind, so the
 * record functions see one object shape: a counter uses `sum`, a gauge `last`, a histogram `sum`,
 * `count`, `min`, `max` and `buckets`.
 */
export class MetricSeries {
  /** The attribute set, as the contract's values: built once, when the series is made. */
  readonly attributes: { readonly [key: string]: Value };
  /** When the series was made, ns since the epoch (the start of a cumulative point). */
  readonly startUnixNano: bigint;
  sum = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  last = 0;
  /** Measurements since the last collection: 0 means idle. */
  touched = 0;
  /** Counts per histogram bucket (`undefined` for counters and gauges). */
  readonly buckets: Float64Array | undefined;

  constructor(attributes: { readonly [key: string]: Value }, startUnixNano: bigint, bucketCount: number) {
    this.attributes = attributes;
    this.startUnixNano = startUnixNano;
    this.buckets = bucketCount > 0 ? new Float64Array(bucketCount) : undefined;
  }

  /** Starts a new delta interval: sums, counts and buckets back to zero. */
  reset(): void {
    this.sum = 0;
    this.count = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.touched = 0;
    this.buckets?.fill(0);
  }
}

/** Adds to a counter's series. */
export function addToSum(s: MetricSeries, value: number): void {
  s.sum += value;
  s.touched++;
}

/** Sets a gauge's series. */
export function setLast(s: MetricSeries, value: number): void {
  s.last = value;
  s.touched++;
}

/** Records into a histogram's series: count, sum, min, max and the bucket (upper bound inclusive). */
export function recordInHistogram(s: MetricSeries, value: number, bounds: readonly number[]): void {
  s.count++;
  s.sum += value;
  if (value < s.min) s.min = value;
  if (value > s.max) s.max = value;
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  s.buckets![i]!++;
  s.touched++;
}
