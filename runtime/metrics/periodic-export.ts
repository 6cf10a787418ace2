import { isValidStandardMetric } from "../../generated/emp/telemetry/v1/metric_contract.js";
import type { StandardMetric } from "../../generated/index.js";
import type { Sink } from "../reliability/sink/sink.js";
import type { MetricRegistry } from "./metric-registry.js";
import type { MetricsTemporality } from "./metrics-options.js";

/** What {@link PeriodicMetricsExport} needs. */
export interface PeriodicMetricsExportOptions {
  readonly registry: MetricRegistry;
  /** Where points go (the `otlp-metrics` sink); `undefined`: metrics aggregate but are not exported. */
  readonly sink: Sink<StandardMetric> | undefined;
  readonly exportIntervalMs: number;
  readonly temporality: MetricsTemporality;
  /** Runs before each collection (the client's own health as metrics records there). Errors are counted. */
  readonly beforeCollect?: () => void;
  /** Clock in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
}

/** Byte estimate of a point in the sink's queue: the record, its attribute values, its buckets (measured order of magnitude). */
function pointBytes(p: StandardMetric): number {
  let n = 320;
  for (const key in p.attributes) n += 96 + 2 * key.length;
  if (p.histogram !== undefined) n += 24 * p.histogram.bucketCounts.length + 160;
  return n;
}

/**
 * Collects the registry's points every `exportIntervalMs` (an unref'd timer: it never keeps the
 * process alive) and hands them to the sink, which batches, sends, retries and counts them like
 * log entries and spans. {@link collectNow} runs on `flush()` and `shutdown()` too. Points the
 * contract's validator refuses are counted (`invalid`) and not sent. Never throws.
 */
export class PeriodicMetricsExport {
  readonly #o: PeriodicMetricsExportOptions;
  readonly #now: () => number;
  #previousUnixNano: bigint;
  #timer: ReturnType<typeof setInterval> | undefined;
  #collectErrors = 0;

  constructor(options: PeriodicMetricsExportOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#previousUnixNano = this.#nowUnixNano();
  }

  /** Errors caught while collecting (in `beforeCollect` or the registry); should stay 0. */
  get collectErrors(): number {
    return this.#collectErrors;
  }

  /** Starts the periodic timer (idempotent). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.collectNow(), this.#o.exportIntervalMs);
    this.#timer.unref();
  }

  /** Stops the timer. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Collects every point now and enqueues it on the sink. Never throws (a failure is counted in `collectErrors`). */
  collectNow(): void {
    try {
      this.#o.beforeCollect?.();
    } catch {
      this.#collectErrors++;
    }
    try {
      const now = this.#nowUnixNano();
      const points = this.#o.registry.collect(now, this.#o.temporality === "delta", this.#previousUnixNano);
      this.#previousUnixNano = now;
      const sink = this.#o.sink;
      for (const p of points) {
        if (!isValidStandardMetric(p)) {
          this.#o.registry.countInvalidPoint();
          sink?.countDropped("invalid");
        } else sink?.enqueue(p, pointBytes(p));
      }
    } catch {
      this.#collectErrors++;
    }
  }

  #nowUnixNano(): bigint {
    return BigInt(this.#now()) * 1_000_000n;
  }
}
