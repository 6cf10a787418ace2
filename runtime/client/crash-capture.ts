import { appendFileSync } from "node:fs";
import type { StandardLogEntry } from "../../generated/index.js";
import { buildStandardLogEntry, logLevelValues } from "../../generated/emp/telemetry/v1/log_contract.js";
import { createNdjsonLogEncoder } from "../encoding/ndjson-log-encoder.js";
import { errorInfoFromUnknown } from "../records/error-info.js";
import { nowUnixNanos } from "../tracing/clock.js";
import { activeTraceContext } from "./active-trace.js";
import type { Sink } from "../reliability/sink/sink.js";
import type { LogWriter } from "./log-writer.js";

/** A file sink's path, tag and sink: where its queued entries and the crash entry are appended synchronously. */
export interface CrashFile {
  readonly path: string;
  readonly tag: string;
  /** The file's sink: its queued entries are taken from it (and counted delivered once written). */
  readonly sink?: Pick<Sink<StandardLogEntry>, "drainSync">;
}

/** What a client gives the crash capture. */
export interface CrashCaptureTarget {
  /** The client's log path: the crash entry goes to every sink (and the console) through it. */
  readonly writer: LogWriter;
  /** The client's NDJSON files now (`log.addFile`). */
  files(): readonly CrashFile[];
  /** Counts a failure of the synchronous file write (never thrown). */
  onFileError(error: unknown): void;
  /** Sends the crash entry over the network synchronously; returns the sinks that acknowledged it. */
  deliver(entry: StandardLogEntry): readonly string[];
  /** The crash entry reached the sink so named another way (its queued copy will never be sent). */
  onWrittenOtherwise(sinkName: string): void;
  /** Writes what the sinks' disk spools hold but have not written yet, synchronously (see `Sink.spoolSync`). */
  spoolNow(): void;
}

/** Why the process is about to end, as Node names it: the `origin` of `uncaughtExceptionMonitor`. */
export type CrashOrigin = "uncaughtException" | "unhandledRejection";

const targets = new Set<WeakRef<CrashCaptureTarget>>();
let monitoring = false;

/**
 * Captures a crash as a `fatal` entry of `target`'s client, observing only: one
 * `process.on("uncaughtExceptionMonitor")` listener serves every client, and it changes nothing of
 * what Node does (the stack is printed, the exit code is 1, other listeners run). It captures only
 * when the process is about to end because of it: no `uncaughtException` listener (and no capture
 * callback) is there to handle it. An app that handles crashes itself (`process.on("uncaughtException")`,
 * `process.on("unhandledRejection")`) gets nothing captured.
 *
 * Node ends the process synchronously after the monitor, so everything here is synchronous. The entry
 * (message `uncaught exception: …` or `unhandled rejection: …`, the error's type, message, stack and cause
 * chain, `exception.origin`) is appended to each `log.addFile` file after the entries still queued for
 * it (taken from its sink: counted delivered, never written twice), printed by the console output, and
 * written with every entry not yet written to the network sinks' disk spools (when on: the next process
 * sends them), and sent to the Fluentd forward and OTLP logs receivers by a child process the crashing
 * process waits for (at most 1 s: `deliverCrashEntry`); the exit line (`exitReport`) counts what was not
 * delivered. Not guaranteed: entries queued for the network sinks without a spool (counted as unsent), a
 * batch in flight, and the crash entry where the receiver is down, slower than 1 s, or wants the forward
 * shared-key handshake; with a spool the crash entry may arrive twice (now, and from the spool).
 * `target` is held weakly: the client keeps it alive.
 */
export function captureCrashes(target: CrashCaptureTarget): void {
  for (const ref of targets) if (ref.deref() === undefined) targets.delete(ref);
  targets.add(new WeakRef(target));
  if (monitoring) return;
  monitoring = true;
  process.on("uncaughtExceptionMonitor", onCrash);
}

/** Whether the process ends because of this exception: nobody handles it. */
function processWillEnd(): boolean {
  return process.listenerCount("uncaughtException") === 0 && !process.hasUncaughtExceptionCaptureCallback();
}

function onCrash(error: unknown, origin: string): void {
  try {
    if (!processWillEnd()) return;
    for (const ref of targets) {
      const target = ref.deref();
      if (target !== undefined) capture(target, error, origin === "unhandledRejection" ? "unhandledRejection" : "uncaughtException");
    }
  } catch {
    // a crash capture never adds a crash of its own
  }
}

function capture(target: CrashCaptureTarget, error: unknown, origin: CrashOrigin): void {
  const { writer } = target;
  const info = errorInfoFromUnknown(error, writer.repairs);
  const entry = buildStandardLogEntry({
    timeUnixNano: nowUnixNanos(),
    level: logLevelValues.FATAL,
    message: `${origin === "unhandledRejection" ? "unhandled rejection" : "uncaught exception"}: ${info.type}: ${info.message}`.slice(0, 32768),
    service: writer.service,
    trace: activeTraceContext(),
    data: writer.safeFields({ "exception.origin": origin }),
    error: info,
  });
  writer.writeEntry(entry);
  for (const file of target.files()) writeFileNow(target, file, entry);
  target.spoolNow();
  for (const sink of target.deliver(entry)) target.onWrittenOtherwise(sink);
}

/**
 * Appends what the file's sink still has queued (the crash entry last, as it was queued), or, when the
 * entry is not among them (the sink dropped or filtered it), the entry alone too.
 */
function writeFileNow(target: CrashCaptureTarget, file: CrashFile, entry: StandardLogEntry): void {
  let entryWritten = false;
  const append = (entries: readonly StandardLogEntry[]): boolean => {
    try {
      appendFileSync(file.path, createNdjsonLogEncoder(file.tag, { timeKey: "timestamp" })(entries).body);
      return true;
    } catch (error: unknown) {
      target.onFileError(error);
      return false;
    }
  };
  file.sink?.drainSync((entries) => {
    const ok = append(entries);
    entryWritten = ok && entries.includes(entry);
    return ok;
  });
  if (!entryWritten) append([entry]);
}
