import { StringDecoder } from "node:string_decoder";
import { TelemetryError } from "../errors/telemetry-error.js";
import { BridgeDiagnostics, reasonText } from "./bridge-diagnostics.js";
import type { BridgeLevel, BridgeTarget } from "./bridge-target.js";
import { isSerializedError, rebuildError } from "./bridged-error.js";
import { messageText } from "./message-text.js";
import { OptionProblems } from "../config/option-problems.js";
import { setField } from "./record-fields.js";

/** Data key holding the original level of a record whose level is not one of pino's six (a custom level, or a label). */
export const pinoLevelKey = "pino.level";

/**
 * Keys pino adds to every line that are not the service's data: the level, the time, `base`'s pid
 * and hostname, and the legacy `v` (the message key is excluded as well, whatever it is).
 */
export const pinoReservedKeys: readonly string[] = Object.freeze(["level", "time", "pid", "hostname", "v"]);

/** Options of {@link createPinoDestination}. Every field is optional; see {@link pinoDestinationDefaults}. */
export interface PinoDestinationOptions {
  /**
   * Longest line kept, in UTF-8 bytes, including a partial line waiting for the rest of it. A longer
   * line is dropped and counted in `counters.oversize`. Default 1 MiB.
   */
  maxLineBytes?: number;
  /** Key of the message, as pino's `messageKey` option. Default `msg`. */
  messageKey?: string;
  /** Key of the serialized error, as pino's `errorKey` option. Default `err`. */
  errorKey?: string;
  /**
   * Receives rate-limited diagnostics: the first invalid line, oversize line, target failure.
   * Never routed through the bridge or a sink; errors it throws are caught and counted. Default: none.
   */
  onDiagnostic?: (message: string) => void;
}

/** {@link PinoDestinationOptions} after defaults are applied. */
export interface ResolvedPinoDestinationOptions {
  readonly maxLineBytes: number;
  readonly messageKey: string;
  readonly errorKey: string;
  readonly onDiagnostic: ((message: string) => void) | undefined;
}

/**
 * Defaults of {@link PinoDestinationOptions}: 1 MiB lines (far above any sane log line, and the
 * most one destination holds while waiting for a line's end), pino's own `msg` and `err` keys, no
 * diagnostics listener.
 */
export const pinoDestinationDefaults: ResolvedPinoDestinationOptions = Object.freeze({
  maxLineBytes: 1024 * 1024,
  messageKey: "msg",
  errorKey: "err",
  onDiagnostic: undefined,
});

const knownKeys = ["maxLineBytes", "messageKey", "errorKey", "onDiagnostic"] as const;

/**
 * Applies {@link pinoDestinationDefaults} and checks every value. No environment variable is read
 * (the issues name none for bridges; `runtime/config` is the one reader of the environment).
 * @throws TelemetryError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolvePinoDestinationOptions(options?: PinoDestinationOptions): ResolvedPinoDestinationOptions {
  if (options === undefined) return pinoDestinationDefaults;
  const problems = new OptionProblems("pino destination");
  problems.unknownKeys(options, knownKeys);
  const maxLineBytes = options.maxLineBytes ?? pinoDestinationDefaults.maxLineBytes;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1 || maxLineBytes > 2 ** 30)
    problems.add("maxLineBytes", maxLineBytes, "an integer number of bytes 1..1073741824", "1048576");
  const messageKey = options.messageKey ?? pinoDestinationDefaults.messageKey;
  if (typeof messageKey !== "string" || messageKey === "") problems.add("messageKey", messageKey, "the logger's messageKey", '"msg"');
  const errorKey = options.errorKey ?? pinoDestinationDefaults.errorKey;
  if (typeof errorKey !== "string" || errorKey === "" || errorKey === messageKey)
    problems.add("errorKey", errorKey, "the logger's errorKey, other than messageKey", '"err"');
  problems.func("onDiagnostic", options.onDiagnostic);
  problems.throwIfAny();
  return Object.freeze({ maxLineBytes, messageKey, errorKey, onDiagnostic: options.onDiagnostic });
}

/** What a {@link PinoDestination} has done so far: `lines` = written + `oversize`, where written includes `invalid`. */
export interface PinoDestinationCounters {
  /** Complete lines received (blank lines aside), including invalid and oversize ones. */
  readonly lines: number;
  /** Lines that were not a JSON object; each was written at info with the raw line as the message. */
  readonly invalid: number;
  /** Lines longer than `maxLineBytes`; each was dropped. */
  readonly oversize: number;
  /** Records the target threw on; they are lost to the target, pino carried on. */
  readonly targetErrors: number;
  /** Failures inside the bridge itself (an unreadable chunk, a throwing diagnostics listener). */
  readonly internalErrors: number;
}

/**
 * A pino destination that writes every line to a {@link BridgeTarget}. Made by
 * {@link createPinoDestination}; pass it as pino's second argument.
 */
export interface PinoDestination {
  /**
   * Takes pino's output: whole lines, several lines, or pieces of lines (a partial line waits for
   * its end, up to `maxLineBytes`). Strings or UTF-8 bytes (a character split across chunks is
   * kept whole). Always returns `true` (no backpressure: the target never blocks). Never throws.
   */
  write(chunk: string | Uint8Array): boolean;
  /** What pino's `logger.flush(cb)` calls. Every complete line is already written, so it calls back at once. */
  flush(callback?: (error?: Error | null) => void): void;
  /** Writes the partial line still waiting for its newline, if any, as a final line. Never throws. */
  end(): void;
  /** A snapshot of the counters. */
  readonly counters: PinoDestinationCounters;
  /** Always `true`: how pino tells a destination from options in the one-argument form `pino(destination)`. */
  readonly writable: true;
}

class PinoBridgeDestination implements PinoDestination {
  readonly writable = true;
  readonly #target: BridgeTarget;
  readonly #maxLineBytes: number;
  readonly #messageKey: string;
  readonly #errorKey: string;
  readonly #skipKeys: ReadonlySet<string>;
  readonly #diagnostics: BridgeDiagnostics;
  #decoder: StringDecoder | undefined;
  /** Start of a line whose newline has not arrived; `#pendingBytes` is its UTF-8 length. */
  #pending = "";
  #pendingBytes = 0;
  /** Dropping the rest of an oversize line, up to its newline. */
  #discarding = false;
  #lines = 0;
  #invalid = 0;
  #oversize = 0;
  #targetErrors = 0;
  #internalErrors = 0;

  constructor(target: BridgeTarget, options: ResolvedPinoDestinationOptions) {
    this.#target = target;
    this.#maxLineBytes = options.maxLineBytes;
    this.#messageKey = options.messageKey;
    this.#errorKey = options.errorKey;
    this.#skipKeys = new Set([...pinoReservedKeys, options.messageKey]);
    this.#diagnostics = new BridgeDiagnostics("pino bridge", options.onDiagnostic);
  }

  get counters(): PinoDestinationCounters {
    return Object.freeze({
      lines: this.#lines,
      invalid: this.#invalid,
      oversize: this.#oversize,
      targetErrors: this.#targetErrors,
      internalErrors: this.#internalErrors + this.#diagnostics.listenerErrors,
    });
  }

  write(chunk: string | Uint8Array): boolean {
    try {
      if (typeof chunk === "string") this.#accept(chunk);
      else this.#accept((this.#decoder ??= new StringDecoder("utf8")).write(chunk));
    } catch (reason) {
      this.#internalErrors++;
      this.#diagnostics.report("internal", `could not read a chunk; dropped: ${reasonText(reason)}`);
    }
    return true;
  }

  flush(callback?: (error?: Error | null) => void): void {
    callback?.(null);
  }

  end(): void {
    try {
      if (this.#decoder !== undefined) this.#accept(this.#decoder.end());
      const rest = this.#pending;
      this.#pending = "";
      this.#pendingBytes = 0;
      this.#discarding = false;
      if (rest !== "") this.#line(rest);
    } catch (reason) {
      this.#internalErrors++;
      this.#diagnostics.report("internal", `could not read the last line; dropped: ${reasonText(reason)}`);
    }
  }

  #accept(text: string): void {
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      const piece = text.slice(start, newline);
      if (this.#discarding) {
        this.#discarding = false; // the end of an oversize line, already counted
      } else if (this.#pending !== "") {
        const bytes = this.#pendingBytes + Buffer.byteLength(piece);
        const line = this.#pending + piece;
        this.#pending = "";
        this.#pendingBytes = 0;
        if (bytes > this.#maxLineBytes) this.#dropOversize(bytes);
        else this.#line(line);
      } else if (piece.length > this.#maxLineBytes || (piece.length * 3 > this.#maxLineBytes && Buffer.byteLength(piece) > this.#maxLineBytes)) {
        // UTF-8 takes 1 to 3 bytes per UTF-16 unit, so most lines are measured without encoding them.
        this.#dropOversize(Buffer.byteLength(piece));
      } else {
        this.#line(piece);
      }
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    if (start < text.length && !this.#discarding) {
      const piece = start === 0 ? text : text.slice(start);
      const bytes = this.#pendingBytes + Buffer.byteLength(piece);
      if (bytes > this.#maxLineBytes) {
        this.#pending = "";
        this.#pendingBytes = 0;
        this.#discarding = true;
        this.#dropOversize(bytes);
      } else {
        this.#pending += piece;
        this.#pendingBytes = bytes;
      }
    }
  }

  #dropOversize(bytes: number): void {
    this.#lines++;
    this.#oversize++;
    this.#diagnostics.report("oversize", `a line of at least ${String(bytes)} bytes exceeds maxLineBytes (${String(this.#maxLineBytes)}); dropped`);
  }

  #line(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    this.#lines++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined; // counted as invalid just below
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      this.#invalid++;
      this.#diagnostics.report("invalid", "a line is not a JSON object; written at info as raw text");
      this.#write("info", line, undefined, undefined);
      return;
    }
    const record = parsed as Record<string, unknown>;
    const rawLevel = record.level;
    const level = mapPinoLevel(rawLevel);
    let data: Record<string, unknown> | undefined;
    let error: unknown;
    for (const key of Object.keys(record)) {
      if (this.#skipKeys.has(key)) continue;
      const value = record[key];
      if (key === this.#errorKey && isSerializedError(value)) {
        error = rebuildError(value);
        continue;
      }
      data ??= {};
      setField(data, key, value);
    }
    if (rawLevel !== undefined && !isStandardLevel(rawLevel)) {
      data ??= {};
      setField(data, pinoLevelKey, rawLevel);
    }
    const message = record[this.#messageKey];
    this.#write(level, typeof message === "string" ? message : messageText(message), data, error);
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

const labelLevels: ReadonlyMap<string, BridgeLevel> = new Map<string, BridgeLevel>([
  ["trace", "debug"],
  ["debug", "debug"],
  ["info", "info"],
  ["warn", "warn"],
  ["error", "error"],
  ["fatal", "fatal"],
]);

/**
 * The bridge level of a pino level: 10 trace and 20 debug → debug, 30 info, 40 warn, 50 error,
 * 60 fatal; a custom number maps like the nearest standard level below it (35 → info, 65 → fatal,
 * below 20 → debug). A label (from `formatters.level`) maps by name. Anything else → info.
 */
export function mapPinoLevel(level: unknown): BridgeLevel {
  if (typeof level === "number") {
    if (Number.isNaN(level)) return "info";
    if (level < 30) return "debug";
    if (level < 40) return "info";
    if (level < 50) return "warn";
    if (level < 60) return "error";
    return "fatal";
  }
  if (typeof level === "string") return labelLevels.get(level) ?? "info";
  return "info";
}

function isStandardLevel(level: unknown): boolean {
  return typeof level === "number" ? level % 10 === 0 && level >= 10 && level <= 60 : typeof level === "string" && labelLevels.has(level);
}

/**
 * Creates a pino destination that routes a logger's lines to `target` (the client's log API), so
 * a service passes it to its existing `pino(options, destination)` and every call site reaches the
 * client unchanged. Child loggers share it (their bindings are in each line).
 *
 * Mapping: the level by {@link mapPinoLevel} (non-standard levels also kept under
 * {@link pinoLevelKey}); `msg` as the message (`""` when missing); the `err` object pino serialized
 * (`type`, `message`, `stack`, `cause`, `aggregateErrors`, extra fields) rebuilt as an `Error` for the
 * error; every other field (bindings included) as data, except {@link pinoReservedKeys}. A line that
 * is not a JSON object is written at info with the raw line as the message and counted in
 * `counters.invalid`; a line over `maxLineBytes` is dropped and counted in `counters.oversize`.
 *
 * Failure: construction throws `TelemetryError` `config_invalid` for a target without `write` or bad
 * options. After that the destination never throws: a throwing target is counted in
 * `counters.targetErrors` and reported once to `onDiagnostic`.
 */
export function createPinoDestination(target: BridgeTarget, options?: PinoDestinationOptions): PinoDestination {
  if (target === null || typeof target !== "object" || typeof target.write !== "function") {
    throw new TelemetryError(
      "invalid pino destination target: expected a BridgeTarget with a write(level, message, data, error) method, e.g. the client's log API",
      "config_invalid",
    );
  }
  return new PinoBridgeDestination(target, resolvePinoDestinationOptions(options));
}
