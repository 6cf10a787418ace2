import type { HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import { buildHopReport } from "../../../generated/emp/telemetry/v1/health_contract.js";

/**
 * What went wrong on a hop and what to check, both plain language. `remediation` names the setting
 * (environment variable) to look at. Neither ever holds a secret.
 */
export interface HopFailure {
  /** What went wrong, e.g. `Nothing is listening on 127.0.0.1:24224 (connection refused).`. */
  readonly error: string;
  /** What to check, e.g. `Check FLUENTD_HOST and FLUENTD_PORT …`. */
  readonly remediation: string;
}

/** Latency as reported: milliseconds rounded to microseconds, never negative or non-finite. */
export function latencyOf(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms * 1000) / 1000 : 0;
}

/** A {@link HopReport} of a hop that passed. `acceptedOnly`: the hop took the probe but we did not see it pass on. */
export function passedHop(hop: string, latencyMs: number, acceptedOnly = false): HopReport {
  return buildHopReport({ hop, ok: true, latencyMs: latencyOf(latencyMs), acceptedOnly });
}

/** A {@link HopReport} of a hop that failed, with the failure's error and remediation. */
export function failedHop(hop: string, latencyMs: number, failure: HopFailure, acceptedOnly = false): HopReport {
  return buildHopReport({
    hop,
    ok: false,
    latencyMs: latencyOf(latencyMs),
    error: failure.error.slice(0, 4096),
    remediation: failure.remediation.slice(0, 4096),
    acceptedOnly,
  });
}

/** Whether every hop passed (and there is at least one). */
export function allPassed(hops: readonly HopReport[]): boolean {
  return hops.length > 0 && hops.every((hop) => hop.ok);
}

/** The failure of a check that threw or overran its deadline: a bug here, never the pipeline's fault. */
export function internalFailure(reason: unknown): HopFailure {
  const text = reason instanceof Error ? reason.message : String(reason);
  return {
    error: `The check failed unexpectedly (${text}).`,
    remediation: "This is a bug in @emp/telemetry; please report it with this text.",
  };
}
