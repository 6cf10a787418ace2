import type { ConnectivityReport, ServiceMetadata, StandardMetric } from "../../generated/index.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { MetricRegistry } from "../metrics/metric-registry.js";
import type { MetricsHealth } from "../metrics/metrics-health.js";
import { type MetricsOptions, resolveMetricsOptions } from "../metrics/metrics-options.js";
import { PeriodicMetricsExport } from "../metrics/periodic-export.js";
import type { SinkHealth } from "../reliability/sink/reports.js";
import type { Sink } from "../reliability/sink/sink.js";
import { createClientHealthMetrics } from "./client-health-metrics.js";
import { createMetricsSink, type SinkContext } from "./client-sinks.js";
import { createMetricsApi, type MetricsApi, type OtelMetricsApi } from "./metrics-api.js";

/** A client's metrics: the API, the registry behind it, the sink and the periodic export. */
export interface ClientMetrics {
  readonly api: MetricsApi & OtelMetricsApi;
  /** The `otlp-metrics` sink, when metrics are exported. */
  readonly sink: Sink<StandardMetric> | undefined;
  /** Collects now (before a flush or at shutdown). Never throws. */
  collectNow(): void;
  /** Stops the timer and collects one last time; later measurements are dropped as `shutdown`. */
  close(): void;
  health(): MetricsHealth;
}

/** What the client hands over: its sinks' health and last report, for the opt-in health metrics. */
export interface ClientMetricsContext extends SinkContext {
  readonly sinkHealth: () => readonly SinkHealth[];
  readonly lastReport: () => ConnectivityReport | undefined;
}

/**
 * Wires `telemetry.metrics` / `telemetry.otel`: options (the client's `metrics` option, over
 * `config.metrics` read from `OTEL_METRIC_EXPORT_*` and the temporality preference), the registry,
 * the `otlp-metrics` sink to `config.otlp.metricsEndpoint` and the unref'd export timer.
 * @throws TelemetryError `config_invalid` on bad metrics options (at construction only).
 */
export function createClientMetrics(
  config: TelemetryConfig,
  service: ServiceMetadata,
  options: MetricsOptions | undefined,
  ctx: ClientMetricsContext,
): ClientMetrics {
  const o = resolveMetricsOptions({ ...config.metrics, ...options });
  const registry = new MetricRegistry({
    service,
    maxSeriesPerInstrument: o.maxSeriesPerInstrument,
    maxInstruments: o.maxInstruments,
    onDiagnostic: ctx.onDiagnostic,
  });
  const sink = createMetricsSink(config, o.exportTimeoutMs, ctx);
  const exporter = new PeriodicMetricsExport({
    registry,
    sink,
    exportIntervalMs: o.exportIntervalMs,
    temporality: o.temporality,
    ...(o.clientHealth ? { beforeCollect: createClientHealthMetrics(registry, ctx.sinkHealth, ctx.lastReport) } : {}),
  });
  if (sink !== undefined) exporter.start();
  let closed = false;
  return {
    api: createMetricsApi(registry),
    sink,
    collectNow: () => {
      if (!closed && sink !== undefined) exporter.collectNow();
    },
    close: () => {
      if (closed) return;
      exporter.stop();
      if (sink !== undefined) exporter.collectNow();
      registry.close();
      closed = true;
    },
    health: () => registry.health(exporter.collectErrors),
  };
}
