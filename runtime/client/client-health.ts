import type { ServiceMetadata } from "../../generated/index.js";
import type { ConfigWarning } from "../config/telemetry-config.js";
import type { MetricsHealth } from "../metrics/metrics-health.js";
import type { RepairCounts } from "../records/repair.js";
import type { FlushReport, ShutdownReport, SinkHealth } from "../reliability/sink/reports.js";
import type { Sink } from "../reliability/sink/sink.js";
import type { LogCounters } from "./log-writer.js";

/** A client's health: the accounting of every sink and of the paths before them. */
export interface ClientHealth {
  /** True when no sink's breaker is open and no sink's last attempt failed without a later success. */
  readonly ok: boolean;
  readonly service: { readonly name: string; readonly instanceId: string };
  /** Summed over the sinks: `emitted = delivered + droppedTotal + queued + inFlight` holds for each and for the sum. */
  readonly totals: {
    readonly emitted: number;
    readonly delivered: number;
    readonly droppedTotal: number;
    readonly queued: number;
    readonly inFlight: number;
    readonly resent: number;
  };
  /** Per sink. */
  readonly sinks: readonly SinkHealth[];
  /** Log path counters (entries written to the sinks, invalid, internal errors). */
  readonly log: Readonly<LogCounters>;
  /** Repairs made to records to keep them valid. */
  readonly repairs: Readonly<RepairCounts>;
  /** Values replaced by `"[redacted]"` in log data, bindings and span attributes (default keys, the `redact` option). */
  readonly redactions: number;
  /** Bugs caught while converting spans; should stay 0. */
  readonly spanInternalErrors: number;
  /** `log.addFile` calls or Fluent Bit configuration writes that failed. */
  readonly addFileProblems: number;
  /** Configuration warnings (misspelled variables, old names). */
  readonly warnings: readonly ConfigWarning[];
  /** Whether our TracerProvider is the global one. */
  readonly registeredGlobally: boolean;
  readonly closed: boolean;
  /** The metrics path: instruments, series, overflow and measurements not recorded, by reason (delivery is the `otlp-metrics` sink's). */
  readonly metrics?: MetricsHealth;
}

/** Inputs of {@link clientHealth}. */
export interface ClientHealthInput {
  readonly service: ServiceMetadata;
  readonly sinks: readonly Sink<unknown>[];
  readonly log: LogCounters;
  readonly repairs: RepairCounts;
  readonly redactions: number;
  readonly spanInternalErrors: number;
  readonly addFileProblems: number;
  readonly warnings: readonly ConfigWarning[];
  readonly registeredGlobally: boolean;
  readonly closed: boolean;
  readonly metrics?: MetricsHealth;
}

/** Builds a frozen health snapshot. */
export function clientHealth(input: ClientHealthInput): ClientHealth {
  const sinks = input.sinks.map((s) => s.health());
  const sum = (pick: (h: SinkHealth) => number): number => sinks.reduce((n, h) => n + pick(h), 0);
  const failing = (h: SinkHealth): boolean =>
    h.breakerState === "open" || (h.lastError !== undefined && (h.lastSuccessTimeMs === undefined || h.lastSuccessTimeMs < h.lastError.timeMs));
  return Object.freeze({
    ok: !sinks.some(failing),
    service: { name: input.service.name, instanceId: input.service.instanceId },
    totals: {
      emitted: sum((h) => h.emitted),
      delivered: sum((h) => h.delivered),
      droppedTotal: sum((h) => h.droppedTotal),
      queued: sum((h) => h.queued),
      inFlight: sum((h) => h.inFlight),
      resent: sum((h) => h.resent),
    },
    sinks,
    log: { ...input.log },
    repairs: { ...input.repairs },
    redactions: input.redactions,
    spanInternalErrors: input.spanInternalErrors,
    addFileProblems: input.addFileProblems,
    warnings: input.warnings,
    registeredGlobally: input.registeredGlobally,
    closed: input.closed,
    ...(input.metrics === undefined ? {} : { metrics: input.metrics }),
  });
}

/** Result of a client's `flush()` or `shutdown()`. */
export interface ClientFlushReport {
  /** `complete` when every sink finished before the deadline. */
  readonly status: "complete" | "timeout";
  /** Records still queued or in flight (flush) or dropped at shutdown. */
  readonly pendingRecords: number;
  readonly sinks: readonly (FlushReport | ShutdownReport)[];
}

/** Flushes every sink in parallel within `timeoutMs`. Never rejects. */
export async function flushAll(sinks: readonly Sink<unknown>[], timeoutMs: number): Promise<ClientFlushReport> {
  const reports = await Promise.all(sinks.map((s) => s.flush(timeoutMs)));
  return {
    status: reports.every((r) => r.status === "complete") ? "complete" : "timeout",
    pendingRecords: reports.reduce((n, r) => n + r.pendingRecords, 0),
    sinks: reports,
  };
}

/** Shuts every sink down in parallel within `timeoutMs`. Never rejects. */
export async function shutdownAll(sinks: readonly Sink<unknown>[], timeoutMs: number): Promise<ClientFlushReport> {
  const reports = await Promise.all(sinks.map((s) => s.shutdown(timeoutMs)));
  return {
    status: reports.every((r) => r.status === "complete") ? "complete" : "timeout",
    pendingRecords: reports.reduce((n, r) => n + r.droppedAtShutdown, 0),
    sinks: reports,
  };
}
