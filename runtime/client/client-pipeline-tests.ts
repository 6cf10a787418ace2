import type { ConnectivityReport, Dash0HealthReport, FluentdHealthReport, OtelHealthReport, PipelineReport } from "../../generated/index.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import type { PeriodicChecks } from "../diagnostics/periodic-checks.js";
import type { PipelineTestOptions } from "../diagnostics/pipeline-test-options.js";
import type { PipelineTests } from "../diagnostics/pipeline-tests.js";
import { resolvePipelineTestOptions } from "../diagnostics/pipeline-test-options.js";

/**
 * `telemetry.test.*`: each check returns the contract's report, never throws and ends within its
 * deadline. The diagnostics code loads on first use, so services that never test pay nothing at start.
 */
export interface ClientPipelineTests {
  /** Every configured check in parallel, as one report. */
  connectivity(): Promise<ConnectivityReport>;
  /** TCP connect, handshake, a probe record with `chunk`, the ack; monitor_agent's outputs when configured. */
  fluentd(): Promise<FluentdHealthReport>;
  /** An empty OTLP export to the traces endpoint. */
  otel(): Promise<OtelHealthReport>;
  /** The same against Dash0 with the token and dataset; 401 and 403 told apart. */
  dash0(): Promise<Dash0HealthReport>;
  /** A probe through every path, confirmed by the last hop that can be observed. */
  endToEnd(): Promise<PipelineReport>;
}

/** The lazy `test` API, plus the periodic checks the client may start. */
export interface LazyPipelineTests {
  readonly api: ClientPipelineTests;
  /** Starts the background checks (loading the diagnostics); `stop()` ends them. */
  startPeriodic(intervalMs: number, onReport: (report: ConnectivityReport) => void): { stop(): void };
}

/**
 * Checks `options` now (a bad option is a configuration error at construction), and loads the
 * diagnostics module only when a check first runs.
 */
export function createLazyPipelineTests(
  config: TelemetryConfig,
  options: PipelineTestOptions | undefined,
  onConnectivity: (r: ConnectivityReport) => void,
): LazyPipelineTests {
  resolvePipelineTestOptions(options);
  let loaded: Promise<PipelineTests> | undefined;
  const tests = (): Promise<PipelineTests> => (loaded ??= import("../diagnostics/pipeline-tests.js").then((m) => m.createPipelineTests(config, options)));
  return {
    api: {
      connectivity: async () => {
        const report = await (await tests()).connectivity();
        onConnectivity(report);
        return report;
      },
      fluentd: async () => (await tests()).fluentd(),
      otel: async () => (await tests()).otel(),
      dash0: async () => (await tests()).dash0(),
      endToEnd: async () => (await tests()).endToEnd(),
    },
    startPeriodic(intervalMs, onReport) {
      let periodic: PeriodicChecks | undefined;
      let stopped = false;
      void tests().then((t) => {
        if (!stopped) periodic = t.startPeriodicChecks({ intervalMs, onReport });
      });
      return {
        stop() {
          stopped = true;
          periodic?.stop();
        },
      };
    },
  };
}
