import type TransportStreamBase from "winston-transport";
import { TelemetryError } from "../errors/telemetry-error.js";
import { BridgeDiagnostics, reasonText } from "./bridge-diagnostics.js";
import type { BridgeLevel, BridgeTarget } from "./bridge-target.js";
import { isErrorValue, rebuildError } from "./bridged-error.js";
import { messageText } from "./message-text.js";
import { OptionProblems } from "../config/option-problems.js";
import { setField } from "./record-fields.js";
import { winstonTransportStream } from "../package/optional-dependencies.js";

/** winston's base class: an optional peer dependency, so this entry point also loads for pino users without winston. */
const TransportStream = winstonTransportStream();

/** triple-beam's `LEVEL`: the level name as logged, before any format (such as `colorize`) rewrites `info.level`. */
const LEVEL = Symbol.for("level");
/** triple-beam's `SPLAT`: the extra arguments of `logger.log(level, message, ...splat)`. */
const SPLAT = Symbol.for("splat");

/** Data key holding the original level name of a record whose level has no mapping. */
export const winstonLevelKey = "winston.level";

/**
 * How winston level names map to bridge levels: winston's npm levels (`http` → info, `verbose` and
 * `silly` → debug), its syslog levels (`emerg`, `alert`, `crit` → fatal, `err` → error, `warning` →
 * warn, `notice` → info), and the two custom names services most often add, `fatal` and `trace`
 * (→ debug). Any other level is written at info with its name under {@link winstonLevelKey};
 * {@link WinstonTransportOptions.levels} adds or overrides mappings.
 */
export const winstonLevelMap: Readonly<Record<string, BridgeLevel>> = Object.freeze({
  error: "error",
  warn: "warn",
  info: "info",
  http: "info",
  verbose: "debug",
  debug: "debug",
  silly: "debug",
  emerg: "fatal",
  alert: "fatal",
  crit: "fatal",
  err: "error",
  warning: "warn",
  notice: "info",
  fatal: "fatal",
  trace: "debug",
});

/** Options of {@link createWinstonTransport}. Every field is optional; see {@link winstonTransportDefaults}. */
export interface WinstonTransportOptions {
  /** Extra or overriding mappings from winston level names to bridge levels, for custom levels, e.g. `{ audit: "info" }`. Default none. */
  levels?: Readonly<Record<string, BridgeLevel>>;
  /** Least severe winston level this transport passes on (winston's own transport option). Default: the logger's level. */
  level?: string;
  /** A winston format this transport applies before bridging (winston's own transport option). Default none: records arrive as the logger formatted them. */
  format?: TransportStreamBase.TransportStreamOptions["format"];
  /** Drop everything (winston's own transport option). Default `false`. */
  silent?: boolean;
  /** Bridge the records winston's exception handler logs (winston's own transport option). Default `false`. */
  handleExceptions?: boolean;
  /** Bridge the records winston's rejection handler logs (winston's own transport option). Default `false`. */
  handleRejections?: boolean;
  /**
   * Receives rate-limited diagnostics: the first target failure, the first unmapped level. Never
   * routed through the bridge or a sink; errors it throws are caught and counted. Default: none.
   */
  onDiagnostic?: (message: string) => void;
}

/** {@link WinstonTransportOptions} after defaults are applied; `levels` is the whole map, defaults included. */
export interface ResolvedWinstonTransportOptions {
  readonly levels: ReadonlyMap<string, BridgeLevel>;
  readonly level: string | undefined;
  readonly format: TransportStreamBase.TransportStreamOptions["format"];
  readonly silent: boolean;
  readonly handleExceptions: boolean;
  readonly handleRejections: boolean;
  readonly onDiagnostic: ((message: string) => void) | undefined;
}

/**
 * Defaults of {@link WinstonTransportOptions}: the {@link winstonLevelMap}, the logger's level and
 * format (so the bridge sees what the service's other transports see), exceptions and rejections
 * left to winston's handlers (as every winston transport does), no diagnostics listener.
 */
export const winstonTransportDefaults = Object.freeze({
  levels: winstonLevelMap,
  level: undefined,
  format: undefined,
  silent: false,
  handleExceptions: false,
  handleRejections: false,
  onDiagnostic: undefined,
} as const);

const knownKeys = ["levels", "level", "format", "silent", "handleExceptions", "handleRejections", "onDiagnostic"] as const;
const bridgeLevels: ReadonlySet<string> = new Set<BridgeLevel>(["debug", "info", "warn", "error", "fatal"]);
const defaultLevelMap: ReadonlyMap<string, BridgeLevel> = new Map(Object.entries(winstonLevelMap));
const resolvedDefaults: ResolvedWinstonTransportOptions = Object.freeze({ ...winstonTransportDefaults, levels: defaultLevelMap });

/**
 * Applies {@link winstonTransportDefaults} and checks every value. No environment variable is read
 * (the issues name none for bridges; `runtime/config` is the one reader of the environment).
 * @throws TelemetryError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveWinstonTransportOptions(options?: WinstonTransportOptions): ResolvedWinstonTransportOptions {
  if (options === undefined) return resolvedDefaults;
  const problems = new OptionProblems("winston transport");
  problems.unknownKeys(options, knownKeys);
  let levels = defaultLevelMap;
  if (options.levels !== undefined) {
    if (options.levels === null || typeof options.levels !== "object") {
      problems.add("levels", options.levels, "an object of level names to bridge levels", '{ audit: "info" }');
    } else {
      const merged = new Map(defaultLevelMap);
      for (const [name, level] of Object.entries(options.levels)) {
        if (bridgeLevels.has(level)) merged.set(name, level);
        else problems.add(`levels.${name}`, level, 'one of "debug", "info", "warn", "error", "fatal"');
      }
      levels = merged;
    }
  }
  if (options.level !== undefined && (typeof options.level !== "string" || options.level === ""))
    problems.add("level", options.level, "a winston level name", '"info"');
  if (options.format !== undefined && (options.format === null || typeof options.format.transform !== "function"))
    problems.add("format", options.format, "a winston format", "format.json()");
  for (const key of ["silent", "handleExceptions", "handleRejections"] as const) {
    if (options[key] !== undefined) problems.boolean(key, options[key]);
  }
  problems.func("onDiagnostic", options.onDiagnostic);
  problems.throwIfAny();
  return Object.freeze({
    levels,
    level: options.level,
    format: options.format,
    silent: options.silent ?? winstonTransportDefaults.silent,
    handleExceptions: options.handleExceptions ?? winstonTransportDefaults.handleExceptions,
    handleRejections: options.handleRejections ?? winstonTransportDefaults.handleRejections,
    onDiagnostic: options.onDiagnostic,
  });
}

/** What a {@link WinstonBridgeTransport} has done so far. Every record winston hands it is in `records`. */
export interface WinstonTransportCounters {
  /** Records received from winston (each was passed to the target once). */
  readonly records: number;
  /** Records whose level had no mapping (written at info, the name under {@link winstonLevelKey}). */
  readonly unknownLevels: number;
  /** Records the target threw on; they are lost to the target, winston carried on. */
  readonly targetErrors: number;
  /** Failures inside the bridge itself (a record it could not read, a throwing diagnostics listener). */
  readonly internalErrors: number;
}

/**
 * A winston transport that writes every record to a {@link BridgeTarget}. Made by
 * {@link createWinstonTransport}; holds only the target, the level map and counters.
 */
export class WinstonBridgeTransport extends TransportStream {
  readonly #target: BridgeTarget;
  readonly #levels: ReadonlyMap<string, BridgeLevel>;
  readonly #diagnostics: BridgeDiagnostics;
  #records = 0;
  #unknownLevels = 0;
  #targetErrors = 0;
  #internalErrors = 0;

  /** Use {@link createWinstonTransport}, which checks the options. */
  constructor(target: BridgeTarget, options: ResolvedWinstonTransportOptions) {
    super({
      level: options.level,
      format: options.format,
      silent: options.silent,
      handleExceptions: options.handleExceptions,
      handleRejections: options.handleRejections,
    });
    this.#target = target;
    this.#levels = options.levels;
    this.#diagnostics = new BridgeDiagnostics("winston bridge", options.onDiagnostic);
  }

  /** A snapshot of the counters. */
  get counters(): WinstonTransportCounters {
    return Object.freeze({
      records: this.#records,
      unknownLevels: this.#unknownLevels,
      targetErrors: this.#targetErrors,
      internalErrors: this.#internalErrors + this.#diagnostics.listenerErrors,
    });
  }

  /**
   * Called by winston for each record: maps it and writes it to the target, then calls `callback`
   * (always, exactly once). Never throws, whatever the record or the target does.
   */
  override log(info: unknown, callback: () => void): void {
    this.#records++;
    try {
      this.#bridge(info);
    } catch (reason) {
      this.#internalErrors++;
      this.#diagnostics.report("internal", `could not read a record; dropped: ${reasonText(reason)}`);
    }
    callback();
  }

  #bridge(info: unknown): void {
    if (info === null || typeof info !== "object") {
      this.#write("info", messageText(info), undefined, undefined);
      return;
    }
    const record = info as Record<string | symbol, unknown>;
    const rawLevel = record[LEVEL] ?? record.level;
    const level = typeof rawLevel === "string" ? this.#levels.get(rawLevel) : undefined;

    // The error, most specific first: the record is one (`logger.error(err)`), its message is one
    // (`logger.log({ level, message: err })`), an argument is one (`logger.warn("ctx", err)`), a
    // field holds one (`logger.warn("ctx", { err })`), or `format.errors` / `child()` left its stack.
    let error: unknown;
    let message: string;
    if (isErrorValue(info)) {
      error = info;
      message = messageText(info.message);
    } else if (isErrorValue(record.message)) {
      error = record.message;
      message = messageText(record.message.message);
    } else {
      message = messageText(record.message);
      error = splatError(record[SPLAT]);
    }

    let data: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      if (key === "level" || key === "message") continue;
      let value: unknown;
      try {
        value = record[key];
      } catch {
        this.#internalErrors++;
        value = "[unreadable]";
      }
      if (error === undefined && key !== "cause" && isErrorValue(value)) {
        error = value;
        continue;
      }
      data ??= {};
      setField(data, key, value);
    }

    if (data !== undefined) {
      if (error === undefined && typeof data.stack === "string") {
        error = rebuildError({ message, stack: data.stack, cause: data.cause });
        delete data.stack;
        delete data.cause;
      } else if (isErrorValue(error)) {
        // winston copies an error argument's stack and cause onto the record; the error has them.
        if (data.stack === error.stack) delete data.stack;
        if ("cause" in data && data.cause === error.cause) delete data.cause;
      }
      if (level === undefined) setField(data, winstonLevelKey, String(rawLevel));
    } else if (level === undefined) {
      data = { [winstonLevelKey]: String(rawLevel) };
    }
    if (level === undefined) {
      this.#unknownLevels++;
      this.#diagnostics.report("unknown_level", `level ${JSON.stringify(String(rawLevel))} has no mapping; written at info (map it with the levels option)`);
    }
    this.#write(level ?? "info", message, data !== undefined && hasKeys(data) ? data : undefined, error);
  }

  #write(level: BridgeLevel, message: string, data: Record<string, unknown> | undefined, error: unknown): void {
    try {
      this.#target.write(level, message, data, error);
    } catch (reason) {
      this.#targetErrors++;
      this.#diagnostics.report("target_error", `the target threw; record dropped: ${reasonText(reason)}`);
    }
  }
}

function splatError(splat: unknown): Error | undefined {
  if (!Array.isArray(splat)) return undefined;
  for (const arg of splat as unknown[]) if (isErrorValue(arg)) return arg;
  return undefined;
}

function hasKeys(data: Record<string, unknown>): boolean {
  for (const _ in data) return true;
  return false;
}

/**
 * Creates a winston transport that routes a logger's records to `target` (the client's log API),
 * so a service adds it to its existing `winston.createLogger({ transports })` and every call site
 * reaches the client unchanged.
 *
 * Mapping: the level through {@link winstonLevelMap} (read from winston's `LEVEL` symbol, so
 * `format.colorize` does not hide it; unmapped → info, name under {@link winstonLevelKey}); the
 * message as a string (objects as JSON, `""` when missing); the record's other fields (meta,
 * `defaultMeta`, `child()` bindings) shallow-copied as data; an `Error` — the record itself, its
 * message, an argument, a field, or the `stack`/`cause` left by `format.errors` or `child()` — as
 * the error, with its stack and cause (and left out of data).
 *
 * Failure: construction throws `TelemetryError` `config_invalid` for a target without `write` or bad
 * options. After that the transport never throws and always calls winston's callback: a throwing
 * target is counted in `counters.targetErrors` and reported once to `onDiagnostic`.
 */
export function createWinstonTransport(target: BridgeTarget, options?: WinstonTransportOptions): WinstonBridgeTransport {
  if (target === null || typeof target !== "object" || typeof target.write !== "function") {
    throw new TelemetryError(
      "invalid winston transport target: expected a BridgeTarget with a write(level, message, data, error) method, e.g. the client's log API",
      "config_invalid",
    );
  }
  return new WinstonBridgeTransport(target, resolveWinstonTransportOptions(options));
}
