import { maxTimerMs, OptionProblems } from "../config/option-problems.js";
import { resolveTelemetryConfig } from "../config/resolve-config.js";
import type { TelemetryConfig, TelemetryConfigOptions } from "../config/telemetry-config.js";
import { TelemetryConfigError } from "../errors/telemetry-config-error.js";
import type { EmpTelemetryClientOptions } from "./client-options.js";

const levelNames = ["debug", "info", "warn", "error", "fatal"];
const booleanOptions = ["configWarnings", "exitReport", "captureUncaught", "handleExitSignals", "registerGlobal", "debugRecords"] as const;

/** Problems of the client's own options (those the configuration does not check), in the configuration's form. Never throws. */
export function clientOptionProblems(client: EmpTelemetryClientOptions): OptionProblems {
  const problems = new OptionProblems(undefined);
  const { level, flushTimeoutMs, redact, beforeSend } = client;
  if (level !== undefined && !levelNames.includes(level)) problems.add("level", level, `must be one of ${levelNames.join(", ")}`, 'level="debug"');
  if (flushTimeoutMs !== undefined && !(Number.isInteger(flushTimeoutMs) && flushTimeoutMs >= 1 && flushTimeoutMs <= maxTimerMs)) {
    problems.add("flushTimeoutMs", flushTimeoutMs, `must be an integer number of ms from 1 to ${maxTimerMs}`, "flushTimeoutMs=5000");
  }
  for (const key of booleanOptions) {
    const value: unknown = client[key];
    if (value !== undefined && typeof value !== "boolean") problems.add(key, value, "must be true or false", `${key}=false`);
  }
  if (redact !== undefined && !(Array.isArray(redact) && redact.every((entry: unknown) => typeof entry === "string" && entry.trim() !== ""))) {
    problems.add("redact", redact, "must be a list of keys or paths (non-empty strings)", 'redact=["ssn", "user.card.number"]');
  }
  if (beforeSend !== undefined && typeof beforeSend !== "function")
    problems.add("beforeSend", typeof beforeSend, "must be a function", "beforeSend=(record) => record");
  return problems;
}

/**
 * Resolves the configuration and checks the client's own options, throwing one
 * {@link TelemetryConfigError} that names every problem of both at once.
 */
export function resolveClientConfig(config: TelemetryConfigOptions, client: EmpTelemetryClientOptions): TelemetryConfig {
  const own = clientOptionProblems(client).problems;
  let resolved: TelemetryConfig;
  try {
    resolved = resolveTelemetryConfig(config, client.env ?? process.env);
  } catch (error: unknown) {
    if (own.length > 0 && error instanceof TelemetryConfigError) throw new TelemetryConfigError([...error.problems, ...own]);
    throw error;
  }
  if (own.length > 0) throw new TelemetryConfigError(own);
  return resolved;
}
