import type { ErrorInfo, LogLevel, ServiceMetadata, StandardLogEntry, TraceContext, Value } from "../../generated/index.js";
import { buildStandardLogEntry, isValidStandardLogEntry, logLevelValues } from "../../generated/emp/telemetry/v1/log_contract.js";
import { defaultRedactedKeyEndings, Redaction } from "../records/redaction.js";
import { createRepairCounts, type RepairCounts } from "../records/repair.js";
import { errorInfoFromUnknown } from "../records/error-info.js";
import { type DataBudget, safeData } from "../records/safe-data.js";
import { isError } from "../records/is-error.js";
import { messageText } from "../records/message-text.js";
import { safeString } from "../records/safe-string.js";
import { errorInfoBytes, stringBytes, valueMapBytes } from "../records/value-size.js";
import type { Sink } from "../reliability/sink/sink.js";
import { readSplitTime } from "../tracing/clock.js";
import { type SplitTime, splitTimeToNanos } from "../wire/time-split.js";
import { activeTraceContext } from "./active-trace.js";
import { messageFirst } from "./call-arguments.js";
import type { LogLevelName } from "./client-options.js";
import type { DirectLogRoute } from "./direct-log-route.js";

/** Contract level of each level name. */
export const logLevels: Readonly<Record<LogLevelName, LogLevel>> = Object.freeze({
  debug: logLevelValues.DEBUG,
  info: logLevelValues.INFO,
  warn: logLevelValues.WARN,
  error: logLevelValues.ERROR,
  fatal: logLevelValues.FATAL,
});

/** The `beforeSend` hook: the entry to send (changed or not), or `null`/`undefined`/`false` to drop it. */
export type BeforeSend = (record: StandardLogEntry) => StandardLogEntry | null | undefined | false;

/** Options of {@link LogWriter}. */
export interface LogWriterOptions {
  /** Called with each entry written to the sinks (debug records, console output). Must not throw. Default: none (no work per call). */
  readonly print?: (entry: StandardLogEntry) => void;
  /** What to redact. Default: the default keys ({@link defaultRedactedKeyEndings}). */
  readonly redaction?: Redaction;
  /** Called with each entry before the sinks; see {@link BeforeSend}. */
  readonly beforeSend?: BeforeSend;
  /**
   * The only log sink's direct route (see {@link DirectLogRoute}), taken for flat data while that sink
   * is the only one and there is no `print`, `beforeSend` or redaction path. Default: none.
   */
  readonly direct?: DirectLogRoute;
}

/** Typed values bound to every entry of a child logger. */
export type Bindings = { readonly [key: string]: Value };

const emptyData: { [key: string]: Value } = Object.freeze({}) as { [key: string]: Value };

/** Heap bytes of an entry before its message, data, error and trace context (the entry, its time, its queue slot). */
const entryBytes = 256;
/** Heap bytes of an entry's trace context (the object and its two hex ids). */
const traceBytes = 192;

/**
 * Budget of one call's data, past the contract's per-list and per-map limits: a call builds at most
 * 10,000 values (about 1 ms of work) and 4 MiB (OTLP/gRPC's default message limit); the rest is dropped
 * and counted in `repairs.droppedValues`.
 */
export const logDataLimits = Object.freeze({ maxValues: 10_000, maxBytes: 4 * 1024 * 1024 });

/**
 * Most bytes a direct route writes for a call's data: a quarter of {@link logDataLimits}' heap bytes,
 * so that data the route takes is always within the budget the general path would apply (a string's
 * heap is at most twice its UTF-8 bytes, plus a fixed size per value).
 */
const directMaxBytes = logDataLimits.maxBytes / 4;

/** Counters of the log path, beside the sinks' own accounting. */
export interface LogCounters {
  /** Entries written to the sinks. */
  written: number;
  /** Entries that failed validation even after repair, counted as dropped `invalid` in every sink. */
  invalid: number;
  /** Entries `beforeSend` dropped (or threw on), counted as dropped `filtered` in every sink. */
  filtered: number;
  /** Calls of `beforeSend` that threw (their entries are dropped and counted in `filtered`). */
  beforeSendErrors: number;
  /** Bugs caught on the log path; should stay 0. */
  internalErrors: number;
}

/**
 * The log path shared by a client's loggers: builds the contract's StandardLogEntry from a call
 * (clock, active trace, service, safe data, error with its cause chain), checks it with the
 * generated validator and enqueues it in every log sink; or, for flat data while one sink with a
 * direct route is the only one, writes the entry's wire form on the call (see {@link DirectLogRoute}).
 * Never throws; I/O happens in the sinks, in batches, off the call path.
 */
export class LogWriter {
  readonly service: ServiceMetadata;
  readonly sinks: Sink<StandardLogEntry>[];
  readonly repairs: RepairCounts = createRepairCounts();
  readonly counters: LogCounters = { written: 0, invalid: 0, filtered: 0, beforeSendErrors: 0, internalErrors: 0 };
  /** What is redacted in data and bindings, and how often it was. */
  readonly redaction: Redaction;

  readonly #print: ((entry: StandardLogEntry) => void) | undefined;
  readonly #beforeSend: BeforeSend | undefined;
  readonly #direct: { readonly route: DirectLogRoute; readonly shell: StandardLogEntry } | undefined;
  /** Budget of a call's data, where safeData reports its bytes (one per writer: read right after each call). */
  readonly #dataBudget: DataBudget = { maxValues: logDataLimits.maxValues, maxBytes: logDataLimits.maxBytes, bytes: 0 };
  /** The last message found well-formed and within the contract's length (see #message). */
  #lastWellFormedMessage = "(empty message)";
  /** The time of the call being written (one per writer: calls are not re-entrant). */
  readonly #time: SplitTime = { second: 0, nanos: 0 };
  /** The whole second the direct route's shell holds as its time (-1: none yet; see #writeDirect). */
  #shellSecond = -1;
  /** Bytes of each child logger's bindings, computed on first use (bindings never change). */
  readonly #bindingBytes = new WeakMap<Bindings, number>();

  constructor(service: ServiceMetadata, sinks: Sink<StandardLogEntry>[], options: LogWriterOptions = {}) {
    this.service = service;
    this.sinks = sinks;
    this.redaction = options.redaction ?? new Redaction();
    this.#print = options.print;
    this.#beforeSend = options.beforeSend;
    const plain = options.print === undefined && options.beforeSend === undefined && this.redaction.paths.length === 0;
    this.#direct = plain && options.direct !== undefined ? directOf(options.direct, service) : undefined;
  }

  /** `data` as the contract's typed values, made safe and redacted (child bindings, startup data). Never throws. */
  safeFields(data: unknown): { [key: string]: Value } {
    return safeData(data, this.repairs, undefined, this.redaction);
  }

  /**
   * Writes one entry. `dataOrError` is free-form data, or an Error (kept as the entry's error);
   * `extraError`, when given, is the entry's error beside data. A `message` that is no string is
   * read as pino's order (see {@link messageFirst}).
   */
  write(level: LogLevel, message: unknown, dataOrError: unknown, bindings: Bindings | undefined, extraError?: unknown): void {
    let enqueued = false;
    try {
      if (typeof message !== "string") [message, dataOrError] = messageFirst(message, dataOrError);
      const time = this.#time;
      readSplitTime(time);
      const text = this.#message(message);
      const trace = activeTraceContext();
      const direct = this.#direct;
      if (
        direct !== undefined &&
        bindings === undefined &&
        extraError === undefined &&
        this.#writeDirect(direct.route, direct.shell, level, text, trace, time, dataOrError)
      ) {
        return;
      }
      const timeUnixNano = splitTimeToNanos(time);
      let error: ErrorInfo | undefined = extraError === undefined ? undefined : errorInfoFromUnknown(extraError, this.repairs);
      let data: { [key: string]: Value };
      let dataBytes = bindings === undefined ? 0 : this.#bytesOfBindings(bindings);
      if (isError(dataOrError)) {
        error = errorInfoFromUnknown(dataOrError, this.repairs);
        data = bindings ?? emptyData;
      } else {
        let own: { [key: string]: Value } | undefined;
        if (dataOrError !== undefined && dataOrError !== null) {
          own = safeData(dataOrError, this.repairs, this.#dataBudget, this.redaction);
          dataBytes += this.#dataBudget.bytes;
        }
        data = own === undefined ? (bindings ?? emptyData) : bindings === undefined ? own : { ...bindings, ...own };
        const lifted = error === undefined ? liftError(dataOrError) : undefined;
        if (lifted !== undefined) error = errorInfoFromUnknown(lifted, this.repairs);
      }
      // The generated builder makes the entry (its defaults, the contract version); the values in
      // `data`, the service and the error are messages already and are taken as they are.
      const entry = buildStandardLogEntry({ timeUnixNano, level, message: text, service: this.service, trace, data, error });
      enqueued = true;
      this.#enqueue(entry, dataBytes);
    } catch {
      this.#lost(enqueued);
    }
  }

  /**
   * Writes a call through the direct route when it may take it: its sink is the only one, the data is
   * an object (no Error) or nothing, the entry's own fields pass the generated validator, and the
   * route takes the data as it is. False when the call needs the general path (nothing queued).
   */
  #writeDirect(
    route: DirectLogRoute,
    shell: StandardLogEntry,
    level: LogLevel,
    message: string,
    trace: TraceContext | undefined,
    time: SplitTime,
    data: unknown,
  ): boolean {
    if (this.sinks.length !== 1 || this.sinks[0] !== route.sink) return false;
    if (data !== undefined && data !== null && (typeof data !== "object" || isError(data))) return false;
    // The shell holds the call's whole second, made once a second, not a bigint per call (see
    // readSplitTime): the contract's rule on the time (after the epoch) holds for the time when it
    // holds for its second. The route writes the time from `time`.
    if (time.second !== this.#shellSecond) {
      shell.timeUnixNano = BigInt(time.second) * 1_000_000_000n;
      this.#shellSecond = time.second;
    }
    shell.level = level;
    shell.message = message;
    shell.trace = trace;
    if (!isValid(shell) || !route.write(shell, data ?? undefined, this.redaction, directMaxBytes, time)) return false;
    this.counters.written++;
    return true;
  }

  /** Enqueues a finished entry in every log sink, or counts it as invalid. */
  writeEntry(entry: StandardLogEntry): void {
    let enqueued = false;
    try {
      const dataBytes = valueMapBytes(entry.data);
      enqueued = true;
      this.#enqueue(entry, dataBytes);
    } catch {
      this.#lost(enqueued);
    }
  }

  /** A bug on the log path: counted, and the entry counted as dropped `invalid` when it never reached the sinks. */
  #lost(enqueued: boolean): void {
    this.counters.internalErrors++;
    if (enqueued) return;
    try {
      for (const sink of this.sinks) sink.countDropped("invalid");
    } catch {
      // countDropped never throws; nothing more to count with
    }
  }

  #bytesOfBindings(bindings: Bindings): number {
    let bytes = this.#bindingBytes.get(bindings);
    if (bytes === undefined) {
      bytes = valueMapBytes(bindings);
      this.#bindingBytes.set(bindings, bytes);
    }
    return bytes;
  }

  /** `dataBytes`: heap bytes of the entry's data (its Value tree), part of the estimate the sinks' bounds add up. */
  #enqueue(given: StandardLogEntry, dataBytes: number): void {
    let entry = given;
    if (this.#beforeSend !== undefined) {
      const kept = this.#filter(this.#beforeSend, entry);
      if (kept === undefined) return;
      if (kept !== entry || kept.data !== entry.data) dataBytes = valueMapBytes(kept.data);
      entry = kept;
    }
    if (!isValid(entry)) {
      this.counters.invalid++;
      for (const sink of this.sinks) sink.countDropped("invalid");
      return;
    }
    const bytes =
      entryBytes +
      stringBytes(entry.message) +
      dataBytes +
      (entry.trace === undefined ? 0 : traceBytes) +
      (entry.error === undefined ? 0 : errorInfoBytes(entry.error));
    for (const sink of this.sinks) sink.enqueue(entry, bytes);
    this.counters.written++;
    if (this.#print !== undefined) this.#print(entry);
  }

  /** The entry `beforeSend` keeps (changed or not), or undefined when it drops it or throws (counted as `filtered`). */
  #filter(beforeSend: BeforeSend, entry: StandardLogEntry): StandardLogEntry | undefined {
    let kept: StandardLogEntry | null | undefined | false;
    try {
      kept = beforeSend(entry);
    } catch {
      this.counters.beforeSendErrors++;
      kept = undefined;
    }
    if (kept !== null && kept !== undefined && kept !== false) return kept;
    this.counters.filtered++;
    for (const sink of this.sinks) sink.countDropped("filtered");
    return undefined;
  }

  #message(message: unknown): string {
    // A service logs the same message strings again and again: the last one found well-formed is
    // taken as it is, any other is scanned for lone surrogates (a native scan, ~15 ns) first.
    if (message === this.#lastWellFormedMessage) return message;
    if (typeof message === "string" && message !== "" && message.length <= 32768 && message.isWellFormed()) {
      this.#lastWellFormedMessage = message;
      return message;
    }
    const text = messageText(message);
    if (text === "") {
      this.repairs.droppedValues++;
      return "(empty message)";
    }
    return safeString(text, this.repairs);
  }
}

/**
 * A direct route with the entry it writes from: built by the generated builder once, complete but for
 * its data (always empty), its time, level, message and trace set per call. `undefined` when the
 * service cannot be built (a hostile object): every call then takes the general path, which counts it.
 */
function directOf(route: DirectLogRoute, service: ServiceMetadata): { route: DirectLogRoute; shell: StandardLogEntry } | undefined {
  try {
    const shell = buildStandardLogEntry({
      timeUnixNano: 1n,
      level: logLevelValues.INFO,
      message: "-",
      service,
      trace: undefined,
      data: emptyData,
      error: undefined,
    });
    return { route, shell };
  } catch {
    return undefined;
  }
}

/** The generated validator's verdict; false if it throws (a caller-made entry with hostile parts). */
function isValid(entry: StandardLogEntry): boolean {
  try {
    return isValidStandardLogEntry(entry);
  } catch {
    return false;
  }
}

/** An Error under `err` or `error` in the data becomes the entry's error (pino's convention). */
function liftError(data: unknown): unknown {
  if (data === null || typeof data !== "object") return undefined;
  try {
    const d = data as { err?: unknown; error?: unknown };
    if (d.err instanceof Error) return d.err;
    if (d.error instanceof Error) return d.error;
  } catch {
    // a hostile getter: no error lifted
  }
  return undefined;
}
