import { performance } from "node:perf_hooks";
import type { HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import { pause, type Deadline } from "../core/deadline.js";
import { failedHop, passedHop, type HopFailure } from "../core/hop-reports.js";
import { getOnce, jsonOf } from "../core/http-exchange.js";
import { displayUrl } from "../core/redaction.js";
import { reasonText } from "../core/socket-failures.js";

/** Fluent Bit's record counters summed over its inputs and outputs, from `/api/v1/metrics`, plus `/api/v1/health`. */
export interface FluentBitSnapshot {
  /** `/api/v1/health` said `ok` (true), `error` (false), or could not be read (undefined: `health_check` off). */
  readonly healthy: boolean | undefined;
  readonly inputRecords: number;
  readonly outputRecords: number;
  readonly outputErrors: number;
  readonly outputRetries: number;
  readonly outputRetriesFailed: number;
  readonly outputDropped: number;
}

/** The Fluent Bit hop's texts (the one table of them). */
export const fluentBitFailures = Object.freeze({
  unreachable: (url: string, what: string): HopFailure => ({
    error: `Could not read Fluent Bit's HTTP server at ${url} (${what}).`,
    remediation: "Check the fluentBitUrl option and that Fluent Bit runs with http_server on (port 2020 by default) and health_check on.",
  }),
  noInput: (timeoutMs: number): HopFailure => ({
    error: `Fluent Bit's inputs took no records while the probe was sent (watched for ${String(timeoutMs)} ms).`,
    remediation: "Check FLUENTD_HOST and FLUENTD_PORT point at this Fluent Bit's forward input (fluentBitUrl may name another instance).",
  }),
  notPassedOn: (timeoutMs: number, change: FluentBitSnapshot, healthy: boolean | undefined): HopFailure => ({
    error:
      `Fluent Bit received the probe but did not pass it on within ${String(timeoutMs)} ms (since the probe its outputs had ` +
      `${String(change.outputErrors)} errors, ${String(change.outputRetries)} retries, ${String(change.outputRetriesFailed)} failed retries` +
      `${healthy === false ? "; /api/v1/health says error" : ""}).`,
    remediation: "Check the [OUTPUT] host, port and credentials in Fluent Bit's configuration and Fluent Bit's log: its outputs cannot deliver.",
  }),
});

/** Reads `/api/v1/metrics` (and `/api/v1/health`) once; a failure when the metrics cannot be read. Never rejects. */
export async function readFluentBit(baseUrl: string, deadline: Deadline): Promise<FluentBitSnapshot | HopFailure> {
  const [metrics, health] = await Promise.all([getOnce(`${baseUrl}/api/v1/metrics`, deadline), getOnce(`${baseUrl}/api/v1/health`, deadline)]);
  const shown = displayUrl(`${baseUrl}/api/v1/metrics`);
  const outcome = metrics.outcome;
  if (outcome.kind === "timeout" || outcome.kind === "aborted")
    return fluentBitFailures.unreachable(shown, `no answer within ${String(deadline.timeoutMs)} ms`);
  if (outcome.kind === "error") return fluentBitFailures.unreachable(shown, reasonText(outcome.error));
  if (outcome.kind === "closed") return fluentBitFailures.unreachable(shown, "connection closed");
  const json = jsonOf(outcome);
  if (!isRecord(json) || !isRecord(json.input) || !isRecord(json.output)) {
    return fluentBitFailures.unreachable(shown, `HTTP ${String(outcome.status)}, not Fluent Bit's metrics JSON`);
  }
  const h = health.outcome;
  const healthText = h.kind === "response" ? Buffer.from(h.body).toString("utf8").trim() : "";
  return {
    healthy: healthText === "ok" ? true : healthText === "error" ? false : undefined,
    inputRecords: sum(json.input, "records"),
    outputRecords: sum(json.output, "proc_records"),
    outputErrors: sum(json.output, "errors"),
    outputRetries: sum(json.output, "retries"),
    outputRetriesFailed: sum(json.output, "retries_failed"),
    outputDropped: sum(json.output, "dropped_records"),
  };
}

/**
 * Polls Fluent Bit every `pollIntervalMs` after the probe was accepted until both its input and output
 * record counters grew past `before` (it passed records on), or the deadline. The hop is `fluent-bit`,
 * timed from `acceptedAt` (`performance.now()`). Other traffic also moves the counters, so a pass
 * says "Fluent Bit is passing records on", not "this record" (the collector confirms that). Never rejects.
 */
export async function watchFluentBit(
  baseUrl: string,
  before: FluentBitSnapshot,
  acceptedAt: number,
  pollIntervalMs: number,
  deadline: Deadline,
): Promise<HopReport> {
  let last: FluentBitSnapshot | HopFailure = before;
  for (;;) {
    const now = await readFluentBit(baseUrl, deadline);
    if ("error" in now) return failedHop("fluent-bit", performance.now() - acceptedAt, now);
    last = now;
    if (now.inputRecords > before.inputRecords && now.outputRecords > before.outputRecords) return passedHop("fluent-bit", performance.now() - acceptedAt);
    if (deadline.remainingMs() <= pollIntervalMs) break;
    await pause(pollIntervalMs, deadline.signal);
  }
  const latency = performance.now() - acceptedAt;
  if (last.inputRecords <= before.inputRecords) return failedHop("fluent-bit", latency, fluentBitFailures.noInput(deadline.timeoutMs));
  const change: FluentBitSnapshot = {
    healthy: last.healthy,
    inputRecords: last.inputRecords - before.inputRecords,
    outputRecords: last.outputRecords - before.outputRecords,
    outputErrors: last.outputErrors - before.outputErrors,
    outputRetries: last.outputRetries - before.outputRetries,
    outputRetriesFailed: last.outputRetriesFailed - before.outputRetriesFailed,
    outputDropped: last.outputDropped - before.outputDropped,
  };
  return failedHop("fluent-bit", latency, fluentBitFailures.notPassedOn(deadline.timeoutMs, change, last.healthy));
}

function sum(plugins: Record<string, unknown>, field: string): number {
  let total = 0;
  for (const plugin of Object.values(plugins)) {
    if (!isRecord(plugin)) continue;
    const value = plugin[field];
    if (typeof value === "number" && Number.isFinite(value)) total += value;
  }
  return total;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
