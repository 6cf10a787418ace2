import type { ConnectivityReport, ServiceMetadata } from "../../generated/index.js";
import type { ClientHealth } from "../client/client-health.js";

/** What the health service reads: a client's health, its last connectivity report, and a way to run one. */
export interface HealthSource {
  /** The client's counters and breaker states. */
  health(): ClientHealth;
  /** The last connectivity report, if a check has run. */
  lastReport(): ConnectivityReport | undefined;
  /** Runs the connectivity check now. Never rejects. */
  runCheck(): Promise<ConnectivityReport>;
  /** The service the client reports for. */
  readonly service: ServiceMetadata;
}
