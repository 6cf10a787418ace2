import type { ConnectivityReport, HopReport } from "../../generated/index.js";
import type { MetricRegistry } from "../metrics/metric-registry.js";
import { dropReasons } from "../reliability/delivery-accounting.js";
import type { SinkHealth } from "../reliability/sink/reports.js";

/** Names of the client's own health metrics (opt-in: `metrics.clientHealth`). */
export const clientHealthMetricNames = Object.freeze({
  /** Counter of records delivered, per sink (`sink`). */
  delivered: "emp.telemetry.sink.delivered",
  /** Counter of records dropped, per sink and reason (`sink`, `reason`). */
  dropped: "emp.telemetry.sink.dropped",
  /** Gauge of the queue's byte estimates, per sink, unit `By`. */
  queueBytes: "emp.telemetry.sink.queue.size",
  /** Gauge of the circuit breaker, per sink: 0 closed, 1 half-open, 2 open. */
  breakerState: "emp.telemetry.sink.breaker.state",
  /** Gauge of each hop's latency in the last pipeline check (`test.*`), per hop (`hop`), unit `ms`. */
  hopLatency: "emp.telemetry.pipeline.hop.latency",
} as const);

const breakerValues = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Records the client's health into `registry` before each collection: per sink the records
 * delivered and dropped by reason (counters, as increments since the previous call), the queued
 * bytes and the breaker state (gauges), and each hop's latency of the last pipeline check (gauge).
 * Returns the recorder, to run as `beforeCollect`.
 */
export function createClientHealthMetrics(
  registry: MetricRegistry,
  sinks: () => readonly SinkHealth[],
  lastReport: () => ConnectivityReport | undefined,
): () => void {
  const seen = new Map<string, number>();
  const increment = (name: string, total: number, attributes: Record<string, string>): void => {
    const key = `${name}\u0000${JSON.stringify(attributes)}`;
    const before = seen.get(key);
    seen.set(key, total);
    if (before === undefined || total > before) registry.counter(name, total - (before ?? 0), attributes);
  };
  return () => {
    for (const h of sinks()) {
      const sink = { sink: h.name };
      increment(clientHealthMetricNames.delivered, h.delivered, sink);
      for (const reason of dropReasons) if (h.dropped[reason] > 0) increment(clientHealthMetricNames.dropped, h.dropped[reason], { sink: h.name, reason });
      registry.gauge(clientHealthMetricNames.queueBytes, h.queuedBytes, sink, "By");
      registry.gauge(clientHealthMetricNames.breakerState, breakerValues[h.breakerState], sink);
    }
    for (const hop of hopsOf(lastReport())) registry.gauge(clientHealthMetricNames.hopLatency, hop.latencyMs, { hop: hop.hop }, "ms");
  };
}

/** Every hop of a connectivity report that measured a latency. */
function hopsOf(report: ConnectivityReport | undefined): HopReport[] {
  if (report === undefined) return [];
  const hops = [...(report.fluentd?.steps ?? []), report.otel?.hop, report.dash0?.hop, ...(report.endToEnd?.hops ?? [])];
  return hops.filter((h): h is HopReport => h !== undefined && h.hop !== "" && Number.isFinite(h.latencyMs) && h.latencyMs >= 0);
}
