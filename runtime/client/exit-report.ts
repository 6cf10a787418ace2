import { scrubKnownSecrets } from "../config/known-secrets.js";
import { dropReasons } from "../reliability/delivery-accounting.js";
import type { SinkHealth } from "../reliability/sink/reports.js";
import { isUnreachable } from "./exit-flush.js";

/** What the exit report reads of a client: its sinks' health, where each sends, and where the line goes. */
export interface ExitReportSource {
  /** Health of every sink, now. */
  sinkHealth(): readonly SinkHealth[];
  /** Where a sink sends (`127.0.0.1:24224`, a URL, a path). */
  destinationOf(sinkName: string): string;
  /** Writes the line (synchronously: it runs in the `exit` event). */
  write(line: string): void;
  /** Records of the sink so named that were written another way although still counted as queued (the crash entry appended to a file). */
  writtenOtherwise?(sinkName: string): number;
}

/**
 * The one line a process prints at exit when records were not delivered, or `undefined` when all
 * were (records a `beforeSend` filtered out do not count), e.g.
 * `[emp-telemetry] 1 log record not delivered to 127.0.0.1:24224 (fluentd-forward): 1 unsent, connect ECONNREFUSED 127.0.0.1:24224`.
 * Each sink with undelivered records says how many (unsent: still queued or in flight, with the last
 * error; dropped, by reason), where it sends and its name. Secrets are scrubbed. Never throws.
 */
export function undeliveredLine(source: Pick<ExitReportSource, "sinkHealth" | "destinationOf" | "writtenOtherwise">): string | undefined {
  const parts: string[] = [];
  for (const h of source.sinkHealth()) {
    const reasons: string[] = [];
    const pending = Math.max(0, h.queued + h.inFlight - (source.writtenOtherwise?.(h.name) ?? 0));
    if (pending > 0)
      reasons.push(
        `${pending} unsent${inSpool(h) ? " (in the disk spool: sent by the next start)" : ""}${h.lastError === undefined ? "" : `, ${h.lastError.message}`}`,
      );
    let lost = pending;
    for (const reason of dropReasons) {
      const n = reason === "filtered" ? 0 : h.dropped[reason];
      if (n > 0) reasons.push(`${n} dropped ${reason}`);
      lost += n;
    }
    if (lost === 0) continue;
    const unit = h.target === "otlp-traces" ? "span" : h.target === "otlp-metrics" ? "metric point" : "log record";
    const destination = source.destinationOf(h.name);
    parts.push(`${lost} ${unit}${lost === 1 ? "" : "s"} not delivered to ${destination === "" ? h.name : `${destination} (${h.name})`}: ${reasons.join("; ")}`);
  }
  if (parts.length === 0) return undefined;
  const hint = source.sinkHealth().some((h) => h.queued + h.inFlight > 0 && isUnreachable(h.lastError))
    ? " Is the collector running? `npx emp-telemetry dev` starts one."
    : "";
  return scrubKnownSecrets(`[emp-telemetry] ${parts.join(" | ")}.${hint} (exitReport: false silences this line)\n`);
}

/** Whether every record the sink still holds is written to its disk spool (none pending, none failed). */
function inSpool(h: SinkHealth): boolean {
  const spool = h.spool;
  return spool !== undefined && spool.pending === 0 && spool.ioErrors === 0 && spool.serializeErrors === 0;
}

/** Reporters of the live clients; weakly held so that a client nobody holds is not kept alive by its report. */
const reporters = new Set<WeakRef<ExitReportSource>>();
let listening = false;

/**
 * Prints {@link undeliveredLine} of `source` with `source.write` when the process exits (the `exit`
 * event: the loop ran dry, `process.exit()`, a fatal exception; not a SIGKILL). One `exit` listener
 * serves every client. `source` is held weakly: the client keeps it (and so the report) alive.
 */
export function reportUndeliveredAtExit(source: ExitReportSource): void {
  for (const ref of reporters) if (ref.deref() === undefined) reporters.delete(ref);
  reporters.add(new WeakRef(source));
  if (listening) return;
  listening = true;
  process.on("exit", printReports);
}

function printReports(): void {
  for (const ref of reporters) {
    const source = ref.deref();
    if (source === undefined) continue;
    try {
      const line = undeliveredLine(source);
      if (line !== undefined) source.write(line);
    } catch {
      // nothing more can be told at exit
    }
  }
}
