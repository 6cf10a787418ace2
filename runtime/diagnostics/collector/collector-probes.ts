import { performance } from "node:perf_hooks";
import { pause, type Deadline } from "../core/deadline.js";
import type { HopFailure } from "../core/hop-reports.js";
import { getOnce, jsonOf } from "../core/http-exchange.js";
import { displayUrl } from "../core/redaction.js";
import { reasonText } from "../core/socket-failures.js";

/** The paths our local collector reports a probe on (`seen` keys of `GET /api/probes/<id>`). */
export type CollectorPath = "forward" | "http" | "otlpHttpLogs" | "otlpHttpTraces" | "otlpGrpc" | "dash0";

/** What the collector said: when (its `Date.now()` ms) it saw the probe per path, or why it could not be asked. */
export interface CollectorSightings {
  readonly seen: ReadonlyMap<CollectorPath, number>;
  /** Set when the collector could not be asked (unreachable, an error status, not its JSON). */
  readonly problem: HopFailure | undefined;
}

const paths: readonly CollectorPath[] = ["forward", "http", "otlpHttpLogs", "otlpHttpTraces", "otlpGrpc", "dash0"];

/** The collector hop's texts (the one table of them). */
export const collectorFailures = Object.freeze({
  unreachable: (url: string, what: string): HopFailure => ({
    error: `Could not ask the collector at ${url} about the probe (${what}).`,
    remediation: "Check the collectorUrl option and that the collector (emp-telemetry dev) is running.",
  }),
  notSeen: (from: string, timeoutMs: number): HopFailure => ({
    error: `${from} accepted the probe, but the collector had not seen it after ${String(timeoutMs)} ms.`,
    remediation:
      "Check the hops after the first one: Fluentd/Fluent Bit outputs (fluentdMonitorUrl and fluentBitUrl show retries) " +
      "and where they send to (the collector's address in their configuration).",
  }),
});

/**
 * Polls `GET <collectorUrl>/api/probes/<id>` every `pollIntervalMs` until the collector has seen the
 * probe on every one of `expected`, or the deadline, or the collector cannot be asked (then
 * `problem`). A 404 means "not seen yet". Never rejects.
 */
export async function waitForSightings(
  collectorUrl: string,
  probeId: string,
  expected: readonly CollectorPath[],
  pollIntervalMs: number,
  deadline: Deadline,
): Promise<CollectorSightings> {
  const url = `${collectorUrl}/api/probes/${encodeURIComponent(probeId)}`;
  const seen = new Map<CollectorPath, number>();
  for (;;) {
    const started = performance.now();
    const { outcome } = await getOnce(url, deadline);
    if (outcome.kind === "response" && outcome.status !== 404) {
      const json = jsonOf(outcome);
      if (json === undefined)
        return { seen, problem: collectorFailures.unreachable(displayUrl(url), `HTTP ${String(outcome.status)}, not the probe API's JSON`) };
      readSeen(json, seen);
    } else if (outcome.kind === "error") return { seen, problem: collectorFailures.unreachable(displayUrl(url), reasonText(outcome.error)) };
    if (expected.every((path) => seen.has(path)) || deadline.remainingMs() <= pollIntervalMs) return { seen, problem: undefined };
    await pause(Math.max(0, pollIntervalMs - (performance.now() - started)), deadline.signal);
  }
}

function readSeen(json: unknown, into: Map<CollectorPath, number>): void {
  if (typeof json !== "object" || json === null) return;
  const seen = (json as { seen?: unknown }).seen;
  if (typeof seen !== "object" || seen === null) return;
  for (const path of paths) {
    const at = (seen as Record<string, unknown>)[path];
    const atMs = typeof at === "object" && at !== null ? (at as { atMs?: unknown }).atMs : undefined;
    if (typeof atMs === "number" && Number.isFinite(atMs)) into.set(path, atMs);
  }
}
