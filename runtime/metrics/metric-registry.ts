import {
  buildHistogramSummary,
  buildStandardMetric,
  isValidStandardMetric,
  metricKindValues,
  validateStandardMetric,
} from "../../generated/emp/telemetry/v1/metric_contract.js";
import { valueFromPlain } from "../../generated/emp/telemetry/v1/value_contract.js";
import { CONTRACT_VERSION } from "../../generated/emp/telemetry/v1/contract_version.js";
import type { MetricKind, ServiceMetadata, StandardMetric, Value } from "../../generated/index.js";
import { addToSum, defaultHistogramBoundaries, MetricSeries, recordInHistogram, setLast } from "./metric-series.js";
import { type MetricDropReason, MetricsCounters, type MetricsHealth, metricDropReasons } from "./metrics-health.js";
import { type AttributePairs, SeriesTable } from "./series-table.js";

const COUNTER = metricKindValues.COUNTER;
const GAUGE = metricKindValues.GAUGE;
const HISTOGRAM = metricKindValues.HISTOGRAM;

/** The attribute set of each instrument's overflow series (OpenTelemetry's cardinality limit). */
export const overflowAttributeKey = "otel.metric.overflow";
const overflowAttributes: { readonly [key: string]: Value } = Object.freeze({ [overflowAttributeKey]: valueFromPlain(true)! });

/** Most rejected names remembered (so a bad name costs one Map lookup after its first use). */
const maxRejectedNames = 1000;
/** Longest rejected name remembered. */
const maxKeptNameLength = 1024;

/** One instrument: its kind, the contract fields every point shares, and its series. */
interface Instrument {
  readonly kind: MetricKind;
  /** Name, kind, unit, service and contract version: a point without values, validated at first use. */
  readonly template: StandardMetric;
  readonly table: SeriesTable<MetricSeries>;
  overflow: MetricSeries | undefined;
  readonly bounds: readonly number[];
}

/** What a {@link MetricRegistry} needs. */
export interface MetricRegistryOptions {
  /** The resource every point carries. */
  readonly service: ServiceMetadata;
  /** Series per instrument, the overflow series included (OpenTelemetry's cardinality limit); at least 2. */
  readonly maxSeriesPerInstrument: number;
  readonly maxInstruments: number;
  /** Gets one line the first time each drop reason (and each rejected name) occurs. Default: none. */
  readonly onDiagnostic?: (message: string) => void;
  /** Clock in ms since the epoch (series start times). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The instruments of one client and their aggregates. `counter`, `gauge` and `histogram` are the hot
 * path: one Map lookup for the instrument, a trie walk for the series ({@link SeriesTable.find}),
 * a number add; no allocation once the name and the attribute set were seen. Everything else
 * (a new name validated by the contract, a new attribute set, a bad value) takes the slow path,
 * which counts every measurement it does not record ({@link MetricDropReason}). Never throws.
 */
export class MetricRegistry {
  readonly #instruments = new Map<string, Instrument>();
  readonly #rejected = new Map<unknown, MetricDropReason>();
  readonly #counters = new MetricsCounters();
  readonly #diagnosed = new Set<string>();
  readonly #o: MetricRegistryOptions;
  readonly #now: () => number;
  #closed = false;

  constructor(options: MetricRegistryOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Adds `value` (finite, ≥ 0) to the counter `name` for this attribute set. Never throws. */
  counter(name: string, value: number, attributes: object | undefined, unit?: string): void {
    try {
      const inst = this.#instruments.get(name);
      if (inst !== undefined && inst.kind === COUNTER && value >= 0 && value < Number.POSITIVE_INFINITY && !this.#closed) {
        const s = inst.table.find(attributes) ?? this.#admit(inst, attributes);
        if (s !== undefined) addToSum(s, value);
        return;
      }
      this.#slow(COUNTER, name, value, attributes, unit);
    } catch {
      this.#drop("internal_error", name);
    }
  }

  /** Sets the gauge `name` to `value` (finite) for this attribute set. Never throws. */
  gauge(name: string, value: number, attributes: object | undefined, unit?: string): void {
    try {
      const inst = this.#instruments.get(name);
      if (inst !== undefined && inst.kind === GAUGE && value - value === 0 && !this.#closed) {
        const s = inst.table.find(attributes) ?? this.#admit(inst, attributes);
        if (s !== undefined) setLast(s, value);
        return;
      }
      this.#slow(GAUGE, name, value, attributes, unit);
    } catch {
      this.#drop("internal_error", name);
    }
  }

  /** Records `value` (finite, ≥ 0) in the histogram `name` for this attribute set. Never throws. */
  histogram(name: string, value: number, attributes: object | undefined, unit?: string): void {
    try {
      const inst = this.#instruments.get(name);
      if (inst !== undefined && inst.kind === HISTOGRAM && value >= 0 && value < Number.POSITIVE_INFINITY && !this.#closed) {
        const s = inst.table.find(attributes) ?? this.#admit(inst, attributes);
        if (s !== undefined) recordInHistogram(s, value, inst.bounds);
        return;
      }
      this.#slow(HISTOGRAM, name, value, attributes, unit);
    } catch {
      this.#drop("internal_error", name);
    }
  }

  /** Later measurements are dropped as `shutdown`. */
  close(): void {
    this.#closed = true;
  }

  /**
   * The points of every instrument as contract records, at `timeUnixNano`. With `delta`, counters and
   * histograms give what was recorded since the previous collection (idle series give nothing; an
   * instrument with an idle or an overflow series forgets them all, which frees its cardinality); with `cumulative`, totals since each series began.
   * A gauge gives its last value (under `delta`, only when set since the previous collection).
   */
  collect(timeUnixNano: bigint, delta: boolean, previousUnixNano: bigint): StandardMetric[] {
    const points: StandardMetric[] = [];
    this.#counters.collections++;
    for (const inst of this.#instruments.values()) {
      let idle = false;
      const visit = (s: MetricSeries): void => {
        if (delta && s.touched === 0) {
          idle = true;
          return;
        }
        if (s.attributes === overflowAttributes) this.#counters.overflowMeasurements += s.touched;
        points.push(pointOf(inst, s, timeUnixNano, delta ? previousUnixNano : s.startUnixNano, delta));
        if (delta) s.reset();
        else s.touched = 0;
      };
      for (const s of inst.table.series()) visit(s);
      if (inst.overflow !== undefined) visit(inst.overflow);
      if (delta && (idle || inst.overflow !== undefined)) {
        inst.table.clear();
        inst.overflow = undefined;
      }
    }
    return points;
  }

  /** A frozen snapshot of the counters (`collectErrors` as the exporter counted them). Never throws. */
  health(collectErrors = 0): MetricsHealth {
    let series = 0;
    let overflow = this.#counters.overflowMeasurements;
    for (const inst of this.#instruments.values()) {
      series += inst.table.size + (inst.overflow === undefined ? 0 : 1);
      overflow += inst.overflow?.touched ?? 0;
    }
    const dropped = { ...this.#counters.dropped };
    return Object.freeze({
      instruments: this.#instruments.size,
      series,
      overflowMeasurements: overflow,
      dropped,
      droppedTotal: metricDropReasons.reduce((n, r) => n + dropped[r], 0),
      collections: this.#counters.collections,
      invalidPoints: this.#counters.invalidPoints,
      collectErrors,
    });
  }

  /** Counts a point the contract's validator refused at collection. */
  countInvalidPoint(): void {
    this.#counters.invalidPoints++;
  }

  /** Why the fast path did not record: a new or rejected name, another kind, a bad value, or after close. */
  #slow(kind: MetricKind, name: string, value: number, attributes: object | undefined, unit: string | undefined): void {
    const inst = this.#closed ? undefined : (this.#instruments.get(name) ?? this.#register(kind, name, unit));
    const refusal = this.#closed ? "shutdown" : inst === undefined ? undefined : refusalOf(inst.kind, kind, value);
    if (refusal !== undefined) this.#drop(refusal, name);
    if (inst === undefined || refusal !== undefined) return;
    const s = inst.table.find(attributes) ?? this.#admit(inst, attributes);
    if (s === undefined) return;
    if (kind === COUNTER) addToSum(s, value);
    else if (kind === GAUGE) setLast(s, value);
    else recordInHistogram(s, value, inst.bounds);
  }

  /** A new instrument, its name and unit checked by the contract's validator; `undefined` (counted) when refused. */
  #register(kind: MetricKind, name: unknown, unit: unknown): Instrument | undefined {
    const known = this.#rejected.get(name);
    if (known !== undefined) return void this.#drop(known, name);
    if (this.#instruments.size >= this.#o.maxInstruments) return void this.#drop("too_many_instruments", name);
    const template = buildStandardMetric({
      name: typeof name === "string" ? name : "",
      kind,
      unit: typeof unit === "string" ? unit : "",
      service: this.#o.service,
      timeUnixNano: 1n,
      contractVersion: CONTRACT_VERSION,
    });
    const violations = validateStandardMetric(template);
    if (violations.length > 0) {
      // Only short names are kept (a kept slice of a huge string would keep all of it alive).
      const short = typeof name === "string" && name.length <= maxKeptNameLength;
      if (short && this.#rejected.size < maxRejectedNames) this.#rejected.set(name, "invalid_name");
      const said = violations.map((v) => `${v.path} ${v.rule}`).join(", ");
      this.#say(
        short ? `name:${name}` : "name:(long or not a string)",
        `metric ${JSON.stringify(nameText(name))} refused (${said}): measurements dropped, counted as invalid_name`,
      );
      return void this.#drop("invalid_name", name);
    }
    const inst: Instrument = {
      kind,
      template,
      table: new SeriesTable<MetricSeries>(Math.max(1, this.#o.maxSeriesPerInstrument - 1)),
      overflow: undefined,
      bounds: defaultHistogramBoundaries,
    };
    this.#instruments.set(template.name, inst);
    return inst;
  }

  /** The series of a new attribute set (or key order), or the overflow series; `undefined` (counted) when the set is refused. */
  #admit(inst: Instrument, attributes: object | undefined): MetricSeries | undefined {
    const admission = inst.table.insert(
      attributes,
      (pairs) => this.#newSeries(inst, pairs),
      () => (inst.overflow ??= this.#overflowSeries(inst)),
    );
    if (admission === undefined) return void this.#drop("invalid_attributes", inst.template.name);
    return admission.series;
  }

  #newSeries(inst: Instrument, pairs: AttributePairs): MetricSeries | undefined {
    const attributes: { [key: string]: Value } = {};
    for (const [key, value] of pairs) attributes[key] = valueFromPlain(value)!;
    if (!isValidStandardMetric({ ...inst.template, attributes })) return undefined;
    return new MetricSeries(attributes, BigInt(this.#now()) * 1_000_000n, inst.kind === HISTOGRAM ? inst.bounds.length + 1 : 0);
  }

  #overflowSeries(inst: Instrument): MetricSeries {
    this.#say(
      `overflow:${inst.template.name}`,
      `metric ${inst.template.name}: ${String(this.#o.maxSeriesPerInstrument)} series reached; new attribute sets go to ${overflowAttributeKey}=true`,
    );
    return new MetricSeries(overflowAttributes, BigInt(this.#now()) * 1_000_000n, inst.kind === HISTOGRAM ? inst.bounds.length + 1 : 0);
  }

  #drop(reason: MetricDropReason, name: unknown): void {
    this.#counters.dropped[reason]++;
    if (reason !== "invalid_name") this.#say(reason, `metric measurement dropped (${reason}), first case: ${nameText(name)}`);
  }

  #say(key: string, message: string): void {
    if (this.#diagnosed.has(key) || this.#diagnosed.size > 2 * maxRejectedNames) return;
    this.#diagnosed.add(key);
    try {
      this.#o.onDiagnostic?.(message);
    } catch {
      // a diagnostics writer that throws: nothing else to tell
    }
  }
}

/** A name as diagnostics show it: at most 256 characters; never throws (a hostile `toString` gives a placeholder). */
function nameText(name: unknown): string {
  try {
    return typeof name === "string" ? name.slice(0, 256) : `(${typeof name})`;
  } catch {
    return "(unprintable)";
  }
}

/** Why a measurement of `kind` with `value` cannot go into an instrument of `instrumentKind`; `undefined` when it can. */
function refusalOf(instrumentKind: MetricKind, kind: MetricKind, value: unknown): MetricDropReason | undefined {
  if (instrumentKind !== kind) return "kind_conflict";
  if (typeof value !== "number") return "invalid_value";
  if (!Number.isFinite(value)) return "non_finite";
  if (value < 0 && kind !== GAUGE) return "negative";
  return undefined;
}

/** One series' point as a contract record. */
function pointOf(inst: Instrument, s: MetricSeries, timeUnixNano: bigint, startUnixNano: bigint, delta: boolean): StandardMetric {
  const t = inst.template;
  const temporality = inst.kind === GAUGE ? 0 : delta ? 1 : 2;
  const common = { ...t, attributes: s.attributes, timeUnixNano, temporality } as const;
  if (inst.kind === GAUGE) return buildStandardMetric({ ...common, value: s.last });
  if (inst.kind === COUNTER) return buildStandardMetric({ ...common, startTimeUnixNano: startUnixNano, value: s.sum });
  return buildStandardMetric({
    ...common,
    startTimeUnixNano: startUnixNano,
    histogram: buildHistogramSummary({
      count: BigInt(s.count),
      sum: s.sum,
      min: s.count > 0 ? s.min : 0,
      max: s.count > 0 ? s.max : 0,
      explicitBounds: [...inst.bounds],
      bucketCounts: Array.from(s.buckets!, (n) => BigInt(n)),
    }),
  });
}
