import type { ConnectivityReport, ServiceMetadata } from "../../generated/index.js";
import type { SinkHealth } from "../reliability/sink/reports.js";

/** The part of a client's health the service reports; the client's `ClientHealth` is one. */
export interface HealthSnapshot {
  /** True when no sink's breaker is open and no sink's last attempt failed without a later success. */
  readonly ok: boolean;
  /** Per sink. */
  readonly sinks: readonly SinkHealth[];
}

/** What the health service reads: a client's health, its last connectivity report, and a way to run one. */
export interface HealthSource {
  /** The client's counters and breaker states. */
  health(): HealthSnapshot;
  /** The last connectivity report, if a check has run. */
  lastReport(): ConnectivityReport | undefined;
  /** Runs the connectivity check now. Never rejects. */
  runCheck(): Promise<ConnectivityReport>;
  /** The service the client reports for. */
  readonly service: ServiceMetadata;
}
