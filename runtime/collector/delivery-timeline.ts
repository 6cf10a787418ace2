import type { CollectorSignal, CollectorSource } from "./collector-records.js";

/**
 * Which client sink delivers on an input and signal: the Fluentd sink on `forward` or `http`, the
 * OTLP traces and logs sinks on OTLP/HTTP or OTLP/gRPC, or an exporter posting to the Dash0 stand-in.
 */
export function sinkOf(source: CollectorSource, signal: CollectorSignal): string {
  switch (source) {
    case "forward":
      return "fluentd (forward)";
    case "http":
      return "fluentd (in_http)";
    case "otlpHttp":
      return `otlp ${signal === "spans" ? "traces" : "logs"} (HTTP)`;
    case "otlpGrpc":
      return `otlp ${signal === "spans" ? "traces" : "logs"} (gRPC)`;
    default:
      return `dash0 ${signal}`;
  }
}

/** One sink's records per bucket, oldest bucket first. */
export interface TimelineSeries {
  /** {@link sinkOf}: the client sink these records came from. */
  readonly sink: string;
  readonly source: CollectorSource;
  readonly signal: CollectorSignal;
  readonly counts: readonly number[];
  readonly total: number;
}

/** Records received per sink over the last `buckets` × `bucketMs`, for the live page's chart. */
export interface DeliveryTimelineSnapshot {
  readonly bucketMs: number;
  /** End of the newest bucket (exclusive), ms since the epoch. */
  readonly endMs: number;
  /** Sinks that delivered at least once since the collector started, in order of their first record. */
  readonly series: readonly TimelineSeries[];
}

interface SeriesState {
  readonly source: CollectorSource;
  readonly signal: CollectorSignal;
  /** Ring of counts indexed by bucket number modulo its length. */
  readonly ring: number[];
  /** Bucket number (time / bucketMs) each ring slot holds. */
  readonly slots: number[];
  total: number;
}

/**
 * Counts records per client sink (input × signal) in fixed time buckets, the last `buckets` of
 * them (default 60 one-second buckets): O(1) per record, fixed memory per sink. Never throws.
 */
export class DeliveryTimeline {
  readonly #series = new Map<string, SeriesState>();
  readonly #bucketMs: number;
  readonly #buckets: number;

  constructor(bucketMs = 1000, buckets = 60) {
    this.#bucketMs = bucketMs;
    this.#buckets = buckets;
  }

  /** Counts one record of `source` and `signal` received at `atMs`. */
  add(source: CollectorSource, signal: CollectorSignal, atMs: number): void {
    const key = `${source}:${signal}`;
    let s = this.#series.get(key);
    if (s === undefined) {
      s = { source, signal, ring: new Array<number>(this.#buckets).fill(0), slots: new Array<number>(this.#buckets).fill(-1), total: 0 };
      this.#series.set(key, s);
    }
    const bucket = Math.floor(atMs / this.#bucketMs);
    const i = bucket % this.#buckets;
    if (s.slots[i] !== bucket) {
      s.slots[i] = bucket;
      s.ring[i] = 0;
    }
    s.ring[i] = (s.ring[i] ?? 0) + 1;
    s.total++;
  }

  /** The counts of the `buckets` buckets ending with the one holding `nowMs`. */
  snapshot(nowMs: number): DeliveryTimelineSnapshot {
    const newest = Math.floor(nowMs / this.#bucketMs);
    const series = [...this.#series.values()].map((s) => {
      const counts: number[] = [];
      for (let b = newest - this.#buckets + 1; b <= newest; b++) {
        const i = ((b % this.#buckets) + this.#buckets) % this.#buckets;
        counts.push(s.slots[i] === b ? (s.ring[i] ?? 0) : 0);
      }
      return { sink: sinkOf(s.source, s.signal), source: s.source, signal: s.signal, counts, total: s.total };
    });
    return { bucketMs: this.#bucketMs, endMs: (newest + 1) * this.#bucketMs, series };
  }
}
