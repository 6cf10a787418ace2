import type { LastError } from "../reliability/delivery-accounting.js";
import type { SinkHealth } from "../reliability/sink/reports.js";
import type { Sink } from "../reliability/sink/sink.js";
import { type ClientFlushReport, flushAll } from "./client-health.js";

/** Each wait of {@link flushAtExit} lasts at most this long, so that no sink's deadline timer keeps the process alive longer, in ms. */
const sliceMs = 50;

/** Errors that say the receiver is not there (nothing listens, no such host, no route): waiting will not help at exit. */
const unreachablePattern = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/;

/** Whether `error` says the receiver cannot be reached at all (a refused connection, an unknown host). */
export function isUnreachable(error: LastError | undefined): boolean {
  return error !== undefined && unreachablePattern.test(error.message);
}

/**
 * Whether a sink holds nothing, or holds records only because its receiver refused it since
 * `sinceMs` (or its breaker is open after a refusal): then waiting longer at exit only delays it.
 */
function doneOrUnreachable(h: SinkHealth, sinceMs: number): boolean {
  if (h.queued + h.inFlight === 0) return true;
  return isUnreachable(h.lastError) && ((h.lastError?.timeMs ?? 0) >= sinceMs || h.breakerState === "open");
}

/**
 * The flush of the exit hooks (`beforeExit`, SIGTERM, SIGINT): like `flush(timeoutMs)`, but it gives up
 * as soon as every sink still holding records was refused by its receiver during the flush (nothing
 * listens on the port, the host does not resolve), so a script whose collector is not running exits at
 * once instead of after the whole deadline. It waits in slices of 50 ms, so no deadline timer outlives
 * it. Resolves `timeout` when it gave up; never rejects.
 */
export async function flushAtExit(sinks: readonly Sink<unknown>[], timeoutMs: number, now: () => number = Date.now): Promise<ClientFlushReport> {
  const startedMs = now();
  for (;;) {
    const left = timeoutMs - (now() - startedMs);
    const report = await flushAll(sinks, Math.max(1, Math.min(sliceMs, left)));
    if (report.status === "complete" || left <= sliceMs) return report;
    if (report.sinks.every((r) => doneOrUnreachable(r.health, startedMs))) return report;
  }
}
