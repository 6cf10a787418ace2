import { EventEmitter } from "node:events";
import {
  collectorSources,
  otlpLogToPlain,
  otlpSpanToPlain,
  type BatchRefusal,
  type CollectorIntake,
  type CollectorSignal,
  type CollectorSource,
  type IncomingBatch,
  type IncomingRecord,
  type ReceivedRecord,
} from "./collector-records.js";
import { checkRecord, otherServices, ViolationTally, type ViolationSummary } from "./contract-check.js";
import type { NdjsonFiles, NdjsonFileStats } from "./ndjson-files.js";
import { probeHopOf, ProbeRegistry, type ProbeReport } from "./probe-registry.js";
import { RecordAdmission, type AdmissionLimits } from "./record-admission.js";
import { RecentRecords, type RecentRecordsStats, type RecentRing } from "./recent-records.js";
import { DeliveryTimeline, type DeliveryTimelineSnapshot } from "./delivery-timeline.js";
import { ServiceCollisions, type ServiceNameCollision } from "./service-collisions.js";
import { TraceIndex, type TraceSummary, type TraceView } from "./trace-index.js";

/** Health of one input (hop) as the status API shows it. */
export interface HopStats {
  /** Records accepted. */
  readonly records: number;
  /** Messages or requests that carried them. */
  readonly batches: number;
  /** Messages or requests refused (bad body, wrong key or token, over a cap, …). */
  readonly errors: number;
  /** Of `errors`: requests or messages refused for carrying more than `maxRecordsPerRequest` records (413). */
  readonly tooManyRecords: number;
  /** Of `errors`: requests or messages refused for carrying more than `maxItemsPerRequest` nested items (413), before decoding. */
  readonly tooManyItems: number;
  /** Of `errors`: requests or messages refused over the input's `maxRecordsPerSecond` (429, forward: no ack). */
  readonly rateLimited: number;
  readonly lastSeenAtMs?: number;
  readonly lastErrorAtMs?: number;
  readonly lastError?: string;
}

/** Counts of one service. */
export interface ServiceCounts {
  readonly logs: number;
  readonly spans: number;
  /** Records of the service with at least one contract violation. */
  readonly invalid: number;
  readonly lastSeenAtMs: number;
}

/** What the store holds, JSON-ready (the part of the status that is not ports). */
export interface StoreSnapshot {
  readonly counts: {
    readonly total: number;
    /** OTLP metric data points received (counted, not stored). */
    readonly metricPoints: number;
    readonly bySignal: Readonly<Record<CollectorSignal, number>>;
    readonly bySource: Readonly<Record<CollectorSource, number>>;
    readonly byService: Readonly<Record<string, ServiceCounts>>;
  };
  readonly hops: Readonly<Record<CollectorSource, HopStats>>;
  readonly violations: ViolationSummary;
  /** Per service, the most recent log records and spans, oldest first. */
  readonly recent: Readonly<Record<string, { readonly logs: readonly ReceivedRecord[]; readonly spans: readonly ReceivedRecord[] }>>;
  /** What the recent records hold: count, estimated bytes within `recentBytes`, and those forgotten early over it. */
  readonly recentStore: RecentRecordsStats;
  readonly probes: number;
  readonly storage: NdjsonFileStats;
  /** Records per client sink (input × signal) per second, the last minute. */
  readonly timeline: DeliveryTimelineSnapshot;
  /** The 20 traces seen most recently, newest first (`GET /api/traces/<id>` has one whole). */
  readonly traces: readonly TraceSummary[];
  /** Service names that several service types or machines send under, with the distinct (type, machine) pairs. */
  readonly collisions: readonly ServiceNameCollision[];
}

/** Limits of {@link CollectorStore}. */
export interface StoreLimits extends AdmissionLimits {
  readonly recentPerService: number;
  readonly recentBytes: number;
  readonly recentViolations: number;
  readonly maxProbes: number;
  readonly maxServices: number;
  readonly recentTraces: number;
  readonly recordsPerTrace: number;
}

/** How many traces the status lists. */
const tracesListed = 20;

export { otherServices };

interface ServiceState {
  logs: number;
  spans: number;
  invalid: number;
  lastSeenAtMs: number;
  readonly recentLogs: RecentRing;
  readonly recentSpans: RecentRing;
}

type MutableHop = { -readonly [K in keyof HopStats]: HopStats[K] };

/**
 * Where every input delivers: runs the live contract check on each record, then stores it (NDJSON
 * file, recent records per service), counts it per signal, source and service, remembers probes
 * and keeps hop health. Emits `record` with each {@link ReceivedRecord}. Never throws.
 */
export class CollectorStore extends EventEmitter implements CollectorIntake {
  #seq = 0;
  #metricPoints = 0;
  readonly #bySignal: Record<CollectorSignal, number> = { logs: 0, spans: 0 };
  readonly #bySource = Object.fromEntries(collectorSources.map((s) => [s, 0])) as Record<CollectorSource, number>;
  readonly #hops = Object.fromEntries(
    collectorSources.map((s) => [s, { records: 0, batches: 0, errors: 0, tooManyRecords: 0, tooManyItems: 0, rateLimited: 0 }]),
  ) as Record<CollectorSource, MutableHop>;
  readonly #services = new Map<string, ServiceState>();
  readonly #violations: ViolationTally;
  readonly #probes: ProbeRegistry;
  readonly #files: NdjsonFiles;
  readonly #limits: StoreLimits;
  readonly #admission: RecordAdmission;
  readonly #timeline = new DeliveryTimeline();
  readonly #traces: TraceIndex;
  readonly #collisions = new ServiceCollisions();
  readonly #recent: RecentRecords;

  constructor(files: NdjsonFiles, limits: StoreLimits) {
    super();
    this.#files = files;
    this.#limits = limits;
    this.#admission = new RecordAdmission(limits);
    this.#violations = new ViolationTally(limits.recentViolations, limits.maxServices);
    this.#probes = new ProbeRegistry(limits.maxProbes);
    this.#traces = new TraceIndex(limits.recentTraces, limits.recordsPerTrace);
    this.#recent = new RecentRecords(limits.recentPerService, limits.recentBytes);
  }

  get maxRecordsPerRequest(): number {
    return this.#limits.maxRecordsPerRequest;
  }

  get maxItemsPerRequest(): number {
    return this.#limits.maxItemsPerRequest;
  }

  admit(source: CollectorSource, count: number, items = 0): BatchRefusal | undefined {
    const refusal = this.#admission.admit(source, count, items);
    if (refusal !== undefined) {
      this.#hops[source][refusal.kind]++;
      this.reject(source, refusal.reason);
    }
    return refusal;
  }

  accept(batch: IncomingBatch): void {
    const now = Date.now();
    const hop = this.#hops[batch.source];
    hop.batches++;
    hop.lastSeenAtMs = now;
    for (const incoming of batch.records) {
      try {
        this.#store(batch, incoming, now);
      } catch (e: unknown) {
        // A bug in the check must not take the input down: count it as a hop error.
        this.reject(batch.source, `contract check failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  acceptMetricPoints(source: CollectorSource, points: number): void {
    const hop = this.#hops[source];
    hop.batches++;
    hop.records += points;
    hop.lastSeenAtMs = Date.now();
    this.#metricPoints += points;
  }

  reject(source: CollectorSource, reason: string): void {
    const hop = this.#hops[source];
    hop.errors++;
    hop.lastErrorAtMs = Date.now();
    hop.lastError = reason.slice(0, 500);
  }

  /** Where probe `id` has been seen. */
  probe(id: string): ProbeReport {
    return this.#probes.report(id);
  }

  /** Trace `traceId` with its spans nested by parent, or `undefined` when it is not (or no longer) kept. */
  trace(traceId: string): TraceView | undefined {
    return this.#traces.view(traceId);
  }

  /** Resolves when every stored line is written. Never rejects. */
  flush(): Promise<void> {
    return this.#files.flush();
  }

  snapshot(): StoreSnapshot {
    const byService: Record<string, ServiceCounts> = {};
    const recent: Record<string, { logs: ReceivedRecord[]; spans: ReceivedRecord[] }> = {};
    for (const [name, s] of this.#services) {
      byService[name] = { logs: s.logs, spans: s.spans, invalid: s.invalid, lastSeenAtMs: s.lastSeenAtMs };
      recent[name] = { logs: RecentRecords.records(s.recentLogs), spans: RecentRecords.records(s.recentSpans) };
    }
    const hops = Object.fromEntries(collectorSources.map((s) => [s, { ...this.#hops[s] }])) as Record<CollectorSource, HopStats>;
    return {
      counts: { total: this.#seq, metricPoints: this.#metricPoints, bySignal: { ...this.#bySignal }, bySource: { ...this.#bySource }, byService },
      hops,
      violations: this.#violations.summary(),
      recent,
      recentStore: this.#recent.stats(),
      probes: this.#probes.size,
      storage: this.#files.stats(),
      timeline: this.#timeline.snapshot(Date.now()),
      traces: this.#traces.list(tracesListed),
      collisions: this.#collisions.list(),
    };
  }

  #store(batch: IncomingBatch, incoming: IncomingRecord, now: number): void {
    const checked = checkRecord(incoming);
    const seq = ++this.#seq;
    const base = { seq, signal: checked.signal, source: batch.source, receivedAtMs: now, service: checked.service };
    const where = incoming.kind === "fluent" ? { tag: incoming.tag } : {};
    const received: ReceivedRecord = {
      ...base,
      ...where,
      ...(batch.path === undefined ? {} : { path: batch.path }),
      record: incoming.kind === "fluent" ? incoming.record : incoming.kind === "otlpLog" ? otlpLogToPlain(incoming.record) : otlpSpanToPlain(incoming.record),
      ...(incoming.kind === "fluent" ? { timeUnixNano: incoming.timeNanos.toString() } : {}),
      violations: checked.violations,
      ...(checked.probeId === undefined ? {} : { probeId: checked.probeId }),
    };
    this.#bySignal[checked.signal]++;
    this.#bySource[batch.source]++;
    this.#hops[batch.source].records++;
    const service = this.#service(checked.service, now);
    if (this.#services.get(checked.service) === service) this.#collisions.saw(checked.service, checked.type, checked.machine);
    if (checked.signal === "logs") service.logs++;
    else service.spans++;
    if (checked.violations.length > 0) service.invalid++;
    const ring = checked.signal === "logs" ? service.recentLogs : service.recentSpans;
    this.#recent.add(ring, received);
    this.#violations.add({ atMs: now, service: checked.service, signal: checked.signal, source: batch.source, seq }, checked.violations);
    if (checked.probeId !== undefined) this.#probes.saw(checked.probeId, probeHopOf(batch.source, checked.signal), now);
    this.#timeline.add(batch.source, checked.signal, now);
    this.#traces.add(received);
    this.#files.append(received);
    this.emit("record", received);
  }

  #service(name: string, now: number): ServiceState {
    let s = this.#services.get(name);
    if (s === undefined) {
      const key = this.#services.size >= this.#limits.maxServices ? otherServices : name;
      s = this.#services.get(key);
      if (s === undefined) {
        s = { logs: 0, spans: 0, invalid: 0, lastSeenAtMs: now, recentLogs: [], recentSpans: [] };
        this.#services.set(key, s);
      }
    }
    s.lastSeenAtMs = now;
    return s;
  }
}
