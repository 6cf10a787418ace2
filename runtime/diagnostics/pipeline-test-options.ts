import { OptionProblems } from "../config/option-problems.js";

/**
 * Options of {@link createPipelineTests}. Every field is optional; see {@link pipelineTestDefaults}.
 * No environment variable is read here: the pipeline itself comes from the `TelemetryConfig`.
 */
export interface PipelineTestOptions {
  /**
   * Deadline of each check, in ms: `fluentd()`, `otel()`, `dash0()`, `endToEnd()` and
   * `connectivity()` (which runs them in parallel) each resolve within it even when a host drops
   * every packet. Default 5000.
   */
  timeoutMs?: number;
  /**
   * Fluentd `monitor_agent` base URL, e.g. `http://fluentd:24220` (the seed's deployment uses port
   * 24220); `/api/plugins.json` is appended. When set, `fluentd()` reports every output plugin's
   * retry count, queued bytes and emitted records, and fails on an output that is retrying.
   * Default none.
   */
  fluentdMonitorUrl?: string;
  /**
   * Fluent Bit HTTP server base URL (`http_server on`, `health_check on`), e.g. `http://127.0.0.1:2020`.
   * When set, `endToEnd()` reads `/api/v1/health` and `/api/v1/metrics` before and after its probe
   * to tell whether Fluent Bit passed the probe on. Default none.
   */
  fluentBitUrl?: string;
  /**
   * Base URL of our local collector (`emp-telemetry dev`). When set, `endToEnd()` polls
   * `GET <collectorUrl>/api/probes/<id>` until the collector reports the probe on every path, or the
   * deadline. Without it the report marks hops `acceptedOnly`. Default none.
   */
  collectorUrl?: string;
  /** Tag of the probe record sent to Fluentd (forward tag, or the `in_http` path). Default `emp.health.probe`. */
  probeTag?: string;
  /** How often `endToEnd()` polls the collector and Fluent Bit's metrics, in ms. Default 100. */
  pollIntervalMs?: number;
}

/** {@link PipelineTestOptions} after {@link resolvePipelineTestOptions}: frozen, every default applied. */
export interface ResolvedPipelineTestOptions {
  readonly timeoutMs: number;
  readonly fluentdMonitorUrl: string | undefined;
  readonly fluentBitUrl: string | undefined;
  readonly collectorUrl: string | undefined;
  readonly probeTag: string;
  readonly pollIntervalMs: number;
}

/**
 * Defaults of {@link PipelineTestOptions}: a 5 s deadline per check (a health check that hangs is
 * worse than one that says "timed out"; OTel's own export deadline is 10 s), no monitor, Fluent Bit or
 * collector URL, tag `emp.health.probe`, polling every 100 ms.
 */
export const pipelineTestDefaults = Object.freeze({
  timeoutMs: 5000,
  probeTag: "emp.health.probe",
  pollIntervalMs: 100,
} as const);

const knownKeys = ["timeoutMs", "fluentdMonitorUrl", "fluentBitUrl", "collectorUrl", "probeTag", "pollIntervalMs"] as const;
const tagPattern = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const resolvedDefaults: ResolvedPipelineTestOptions = Object.freeze({
  ...pipelineTestDefaults,
  fluentdMonitorUrl: undefined,
  fluentBitUrl: undefined,
  collectorUrl: undefined,
});

/**
 * Checks `options` and applies {@link pipelineTestDefaults}. URLs must be http(s) base URLs
 * (no query); a trailing `/` is dropped.
 *
 * Failure behaviour: throws one `TelemetryConfigError` (code `config_invalid`) naming every bad or
 * unknown option at once. Without options it returns the shared frozen defaults.
 */
export function resolvePipelineTestOptions(options?: PipelineTestOptions): ResolvedPipelineTestOptions {
  if (options === undefined) return resolvedDefaults;
  const problems = new OptionProblems("pipeline tests");
  problems.unknownKeys(options, knownKeys);
  const timeoutMs = options.timeoutMs ?? pipelineTestDefaults.timeoutMs;
  const pollIntervalMs = options.pollIntervalMs ?? pipelineTestDefaults.pollIntervalMs;
  const probeTag = options.probeTag ?? pipelineTestDefaults.probeTag;
  problems.milliseconds("timeoutMs", timeoutMs, "5000");
  problems.milliseconds("pollIntervalMs", pollIntervalMs, "100");
  if (typeof probeTag !== "string" || !tagPattern.test(probeTag)) {
    problems.add("probeTag", probeTag, "a Fluentd tag: letters, digits, _ and -, in dot-separated parts", '"emp.health.probe"');
  }
  const url = (key: "fluentdMonitorUrl" | "fluentBitUrl" | "collectorUrl", example: string): string | undefined => {
    const value = options[key];
    if (value === undefined) return undefined;
    return problems.httpUrl(key, value, example, { base: true }) ? value.replace(/\/+$/, "") : undefined;
  };
  const resolved: ResolvedPipelineTestOptions = {
    timeoutMs,
    fluentdMonitorUrl: url("fluentdMonitorUrl", "http://fluentd:24220"),
    fluentBitUrl: url("fluentBitUrl", "http://127.0.0.1:2020"),
    collectorUrl: url("collectorUrl", "http://127.0.0.1:4320"),
    probeTag,
    pollIntervalMs,
  };
  problems.throwIfAny();
  return Object.freeze(resolved);
}
