import type { ErrorInfo, LogLevel, ServiceMetadata, StandardLogEntry, Value } from "../../generated/index.js";
import {
  buildStandardLogEntry,
  isValidStandardLogEntry,
  logLevelValues,
  standardLogEntryToFluentRecord,
} from "../../generated/emp/telemetry/v1/log_contract.js";
import { createRepairCounts, type RepairCounts } from "../records/repair.js";
import { errorInfoFromUnknown } from "../records/error-info.js";
import { ownKeyCount } from "../records/own-key-count.js";
import { safeData } from "../records/safe-data.js";
import { safeString } from "../records/safe-string.js";
import type { Sink } from "../reliability/sink/sink.js";
import { nowUnixNanos } from "../tracing/clock.js";
import { activeTraceContext } from "./active-trace.js";
import type { LogLevelName } from "./client-options.js";

/** Contract level of each level name. */
export const logLevels: Readonly<Record<LogLevelName, LogLevel>> = Object.freeze({
  debug: logLevelValues.DEBUG,
  info: logLevelValues.INFO,
  warn: logLevelValues.WARN,
  error: logLevelValues.ERROR,
  fatal: logLevelValues.FATAL,
});

/** Typed values bound to every entry of a child logger. */
export type Bindings = { readonly [key: string]: Value };

const emptyData: { [key: string]: Value } = Object.freeze({}) as { [key: string]: Value };

/** Counters of the log path, beside the sinks' own accounting. */
export interface LogCounters {
  /** Entries written to the sinks. */
  written: number;
  /** Entries that failed validation even after repair, counted as dropped `invalid` in every sink. */
  invalid: number;
  /** Bugs caught on the log path; should stay 0. */
  internalErrors: number;
}

/**
 * The log path shared by a client's loggers: builds the contract's StandardLogEntry from a call
 * (clock, active trace, service, safe data, error with its cause chain), checks it with the
 * generated validator and enqueues it in every log sink. Never throws; encoding and I/O happen in
 * the sinks, in batches, off the call path.
 */
export class LogWriter {
  readonly service: ServiceMetadata;
  readonly sinks: Sink<StandardLogEntry>[];
  readonly repairs: RepairCounts = createRepairCounts();
  readonly counters: LogCounters = { written: 0, invalid: 0, internalErrors: 0 };

  readonly #printRecord: ((line: string) => void) | undefined;

  /** @param printRecord - debug mode's record printer: every entry written goes there as its Fluentd record. */
  constructor(service: ServiceMetadata, sinks: Sink<StandardLogEntry>[], printRecord?: (line: string) => void) {
    this.service = service;
    this.sinks = sinks;
    this.#printRecord = printRecord;
  }

  /**
   * Writes one entry. `dataOrError` is free-form data, or an Error (kept as the entry's error);
   * `extraError`, when given, is the entry's error beside data.
   */
  write(level: LogLevel, message: unknown, dataOrError: unknown, bindings: Bindings | undefined, extraError?: unknown): void {
    try {
      let error: ErrorInfo | undefined = extraError === undefined ? undefined : errorInfoFromUnknown(extraError, this.repairs);
      let data: { [key: string]: Value };
      if (dataOrError instanceof Error) {
        error = errorInfoFromUnknown(dataOrError, this.repairs);
        data = bindings ?? emptyData;
      } else {
        const own = dataOrError === undefined || dataOrError === null ? undefined : safeData(dataOrError, this.repairs);
        data = own === undefined ? (bindings ?? emptyData) : bindings === undefined ? own : { ...bindings, ...own };
        const lifted = error === undefined ? liftError(dataOrError) : undefined;
        if (lifted !== undefined) error = errorInfoFromUnknown(lifted, this.repairs);
      }
      // The generated builder makes the entry (its defaults, the contract version); the values in
      // `data`, the service and the error are messages already and are taken as they are.
      this.#enqueue(
        buildStandardLogEntry({
          timeUnixNano: nowUnixNanos(),
          level,
          message: this.#message(message),
          service: this.service,
          trace: activeTraceContext(),
          data,
          error,
        }),
      );
    } catch {
      this.counters.internalErrors++;
    }
  }

  /** Enqueues a finished entry in every log sink, or counts it as invalid. */
  writeEntry(entry: StandardLogEntry): void {
    try {
      this.#enqueue(entry);
    } catch {
      this.counters.internalErrors++;
    }
  }

  #enqueue(entry: StandardLogEntry): void {
    if (!isValidStandardLogEntry(entry)) {
      this.counters.invalid++;
      for (const sink of this.sinks) sink.countDropped("invalid");
      return;
    }
    const bytes = 256 + entry.message.length * 2 + ownKeyCount(entry.data) * 64 + (entry.error === undefined ? 0 : 512 + entry.error.stack.length);
    for (const sink of this.sinks) sink.enqueue(entry, bytes);
    this.counters.written++;
    if (this.#printRecord !== undefined) this.#printRecord(`record ${JSON.stringify(standardLogEntryToFluentRecord(entry))}`);
  }

  #message(message: unknown): string {
    if (typeof message === "string" && message !== "" && message.length <= 32768) return message;
    const text = typeof message === "string" ? message : message instanceof Error ? message.message : safeStringOf(message);
    if (text === "") {
      this.repairs.droppedValues++;
      return "(empty message)";
    }
    return safeString(text, this.repairs);
  }
}

function safeStringOf(v: unknown): string {
  try {
    return String(v);
  } catch {
    return "(unprintable message)";
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
