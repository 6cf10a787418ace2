import type { ConnectivityReport } from "../../generated/index.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import type { ClientHealth } from "./client-health.js";

/** Options of `await telemetry.startup({...})`, the existing client's startup call. Each defaults to false. */
export interface StartupCheckOptions {
  /** Run `test.connectivity()` (every configured hop, within its deadline) and judge `overall` from it. */
  testConnections?: boolean;
  /** Log the resolved configuration (secrets as `[redacted]`) as one info entry. */
  logConfiguration?: boolean;
  /** Send the startup ping: a `startup.ping` trace event and an info entry. */
  sendStartupPing?: boolean;
}

/**
 * What `await telemetry.startup({...})` resolves with: the existing client's pipeline report
 * (`overall`) and ours beside it.
 * - `healthy`: every check run passed (or, without `testConnections`, no sink is failing).
 * - `degraded`: some configured hop failed and another works, or (without checks) a sink is failing.
 * - `failed`: every configured hop failed: nothing leaves the process.
 */
export interface StartupCheckReport {
  readonly overall: "healthy" | "degraded" | "failed";
  /** The connectivity report, when `testConnections` ran it. */
  readonly connectivity: ConnectivityReport | undefined;
  /** Delivery accounting at the end of the call. */
  readonly health: ClientHealth;
  /** Whether the configuration was logged. */
  readonly configurationLogged: boolean;
  /** Whether the startup ping was sent. */
  readonly pingSent: boolean;
}

/** What the startup check needs from the client. */
export interface StartupCheckDeps {
  readonly config: TelemetryConfig;
  readonly connectivity: () => Promise<ConnectivityReport>;
  readonly health: () => ClientHealth;
  readonly info: (message: string, data: Record<string, unknown>) => void;
  readonly event: (name: string, attributes: Record<string, unknown>) => void;
  /** Milliseconds since the client was made, for the ping. */
  readonly uptimeMs: () => number;
}

/** `overall` of a connectivity report: each configured hop (Fluentd, OTLP, Dash0) is one vote. */
export function overallOf(report: ConnectivityReport): StartupCheckReport["overall"] {
  if (report.ok) return "healthy";
  const hops = [report.fluentd?.ok, report.otel?.ok, report.dash0?.ok].filter((ok): ok is boolean => ok !== undefined);
  return hops.some((ok) => ok) ? "degraded" : "failed";
}

/** The configuration as plain data for a log entry: JSON of it (its secrets print as `[redacted]`). */
function configurationData(config: TelemetryConfig): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({ service: config.service, fluentd: config.fluentd, otlp: config.otlp, dash0: config.dash0, logDir: config.logDir }),
  ) as Record<string, unknown>;
}

/** Runs the existing client's startup call on our APIs. Never rejects. */
export async function runStartupCheck(deps: StartupCheckDeps, options: StartupCheckOptions | undefined): Promise<StartupCheckReport> {
  const o: StartupCheckOptions = typeof options === "object" && options !== null ? options : {};
  let configurationLogged = false;
  let pingSent = false;
  let connectivity: ConnectivityReport | undefined;
  try {
    if (o.logConfiguration === true) {
      deps.info("telemetry configuration", { "emp.telemetry.config": configurationData(deps.config) });
      configurationLogged = true;
    }
    if (o.sendStartupPing === true) {
      const attributes = { "emp.startup.uptime_ms": deps.uptimeMs(), "emp.service.type": deps.config.service.type };
      deps.event("startup.ping", attributes);
      deps.info("startup ping", attributes);
      pingSent = true;
    }
    if (o.testConnections === true) connectivity = await deps.connectivity();
  } catch {
    // every dependency is a never-throwing API; a throw here is a bug, reported through `overall`
  }
  const health = deps.health();
  const overall = connectivity !== undefined ? overallOf(connectivity) : health.ok ? "healthy" : "degraded";
  return { overall, connectivity, health, configurationLogged, pingSent };
}
