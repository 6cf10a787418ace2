import { randomUUID } from "node:crypto";
import type {
  ConnectivityReport,
  Dash0HealthReport,
  FluentdHealthReport,
  OtelHealthReport,
  PipelineReport,
} from "../../generated/emp/telemetry/v1/health_pb.js";
import { buildConnectivityReport } from "../../generated/emp/telemetry/v1/health_contract.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { createCheckContext, dash0TargetOf, otelTargetOf, type CheckContext } from "./check-context.js";
import { checkEndToEnd } from "./end-to-end.js";
import { checkFluentd } from "./fluentd/fluentd-check.js";
import { checkDash0, checkOtel } from "./otlp/otlp-checks.js";
import { PeriodicHealthChecks, resolvePeriodicCheckOptions, type PeriodicCheckOptions, type PeriodicChecks } from "./periodic-checks.js";
import { resolvePipelineTestOptions, type PipelineTestOptions, type ResolvedPipelineTestOptions } from "./pipeline-test-options.js";

/**
 * `telemetry.test.*`: checks of every hop of the configured pipeline, each returning the contract's
 * typed report. Every method **never throws or rejects** and resolves within `options.timeoutMs`
 * (default 5000 ms), even when a host drops every packet; failures are reports with `ok: false`
 * and, per hop, a plain-language `error` and a `remediation` naming the variable to check. Reports
 * never contain a secret (shared key, API key, header values).
 */
export interface PipelineTests {
  /** The options in force. */
  readonly options: ResolvedPipelineTestOptions;
  /**
   * Every configured check in parallel (`fluentd` when the Fluentd sink is on, `otel` when OTLP export
   * is on, `dash0` when DASH0_ENDPOINT is set, and `endToEnd` always); `ok` when all of them passed.
   */
  connectivity(): Promise<ConnectivityReport>;
  /**
   * Fluentd: over `forward` the steps `connect`, `handshake` (with FLUENTD_SHARED_KEY), `send`, `ack`
   * of a probe record (data key `emp.health.probe_id`); over `http` one `post` to `in_http`. With
   * `fluentdMonitorUrl`, a `monitor_agent` step, each output's state, and a failed
   * `output <plugin_id>` step per retrying output.
   */
  fluentd(): Promise<FluentdHealthReport>;
  /** The OTLP endpoint: an empty export (zero spans) with the configured headers; hop `otel`. */
  otel(): Promise<OtelHealthReport>;
  /** Dash0: an empty export with `Authorization: Bearer` and `Dash0-Dataset`; hop `dash0`. 401 and 403 are told apart. */
  dash0(): Promise<Dash0HealthReport>;
  /**
   * A probe with a unique id through every configured path, confirmed by the collector when
   * `collectorUrl` is set (else hops are `acceptedOnly`), with Fluent Bit's counters when
   * `fluentBitUrl` is set; per-hop latency.
   */
  endToEnd(): Promise<PipelineReport>;
  /**
   * Runs the cheap checks (Fluentd connect + handshake, no record; the empty OTLP export) now and then
   * every `intervalMs` in the background, never two at once (a due run is skipped and counted while
   * one is going), on unref'd timers. `stop()` ends it.
   * @throws TelemetryConfigError when `intervalMs` or `onReport` is invalid (the only throw here).
   */
  startPeriodicChecks(options: PeriodicCheckOptions): PeriodicChecks;
}

/**
 * Creates the pipeline tests for a resolved configuration (`resolveTelemetryConfig`). Nothing is
 * contacted until a check runs. Network access goes only to the configured hosts and the URLs in
 * `options`.
 * @throws TelemetryConfigError when `options` are invalid (construction is the only place this throws).
 */
export function createPipelineTests(config: TelemetryConfig, options?: PipelineTestOptions): PipelineTests {
  const resolved = resolvePipelineTestOptions(options);
  const context = createCheckContext(config, resolved);
  const newProbeId = (): string => `probe-${randomUUID()}`;
  return Object.freeze({
    options: resolved,
    connectivity: () => checkConnectivity(context, newProbeId),
    fluentd: () => checkFluentd(context, newProbeId(), "full"),
    otel: () => checkOtel(context),
    dash0: () => checkDash0(context),
    endToEnd: () => checkEndToEnd(context, newProbeId()),
    startPeriodicChecks: (periodic: PeriodicCheckOptions) =>
      new PeriodicHealthChecks(resolvePeriodicCheckOptions(periodic), (signal) => checkCheaply(context, newProbeId(), signal)),
  });
}

async function checkConnectivity(context: CheckContext, newProbeId: () => string): Promise<ConnectivityReport> {
  const { config } = context;
  const [fluentd, otel, dash0, endToEnd] = await Promise.all([
    config.fluentd.enabled ? checkFluentd(context, newProbeId(), "full") : undefined,
    otelTargetOf(context) !== undefined ? checkOtel(context) : undefined,
    dash0TargetOf(context) !== undefined ? checkDash0(context) : undefined,
    checkEndToEnd(context, newProbeId()),
  ]);
  const ok = [fluentd, otel, dash0, endToEnd].every((report) => report === undefined || report.ok);
  return buildConnectivityReport({ ok, fluentd, otel, dash0, endToEnd });
}

async function checkCheaply(context: CheckContext, probeId: string, signal: AbortSignal): Promise<ConnectivityReport> {
  const { config } = context;
  const [fluentd, otel] = await Promise.all([
    config.fluentd.enabled ? checkFluentd(context, probeId, "cheap", signal) : undefined,
    otelTargetOf(context) !== undefined ? checkOtel(context, signal) : undefined,
  ]);
  const ok = (fluentd?.ok ?? true) && (otel?.ok ?? true) && (fluentd !== undefined || otel !== undefined);
  return buildConnectivityReport({ ok, fluentd, otel });
}
