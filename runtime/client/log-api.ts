import type { BridgeTarget } from "../bridges/bridge-target.js";
import type { AddFileOptions } from "./add-file-options.js";
import type { LogLevelName } from "./client-options.js";
import { type Bindings, logLevels, type LogWriter } from "./log-writer.js";

/**
 * One level's method. Both argument orders work: ours, `(message, data)`, and pino's,
 * `(data, message)`; `(error)` alone keeps the Error as the entry's error and its message as the
 * entry's; `(data)` alone takes `data.msg` as the message when it is a string.
 */
export interface LogMethod {
  /** `data`: free-form fields (made safe, typed), or an Error (kept with its type, stack and cause chain). */
  (message: string, data?: unknown): void;
  /** pino's order: `log.info({ userId: 7 }, "signed in")`. */
  (data: object, message?: string): void;
}

/**
 * The client's logger. Every method returns at once, never throws and never waits on the network;
 * levels below the client's `level` are no-ops.
 */
export interface LogApi extends BridgeTarget {
  /** Diagnostic detail. */
  readonly debug: LogMethod;
  /** Normal operation. */
  readonly info: LogMethod;
  /** Something unexpected that the service handled. */
  readonly warn: LogMethod;
  /** A failure. Pass the Error itself to keep its type, stack and cause chain, or data with it under `err`. */
  readonly error: LogMethod;
  /** The service cannot continue. */
  readonly fatal: LogMethod;
  /** A logger whose entries all carry `bindings` (computed once, here). */
  child(bindings: Record<string, unknown>): LogApi;
  /**
   * `addFile(path, options?)`: also write this service's entries to `path` (NDJSON, one entry per
   * line), routed as `options.routing` says, and register it with Fluent Bit when it carries them.
   * `addFile(path, streamName)` (or `{ external: true }`, or a glob): a file another program writes,
   * registered for Fluent Bit to tail under that name and never written. Problems are counted in
   * `health()`, never thrown.
   */
  addFile(path: string, nameOrOptions?: string | AddFileOptions): void;
  /** The least severe level written. */
  readonly level: LogLevelName;
}

const noop = (): void => undefined;
const order: readonly LogLevelName[] = ["debug", "info", "warn", "error", "fatal"];

/** `name` when it is a level name, else `info`: own keys only, so `"__proto__"` or `"toString"` is no level. */
function levelNameOf(name: unknown): LogLevelName {
  return typeof name === "string" && Object.hasOwn(logLevels, name) ? (name as LogLevelName) : "info";
}

/** Creates a logger on `writer`; levels below `level` become no-ops (pino's trick: no check per call). */
export function createLogApi(
  writer: LogWriter,
  asked: LogLevelName,
  addFile: (path: string, nameOrOptions?: string | AddFileOptions) => void,
  bindings?: Bindings,
): LogApi {
  const level = levelNameOf(asked);
  const min = order.indexOf(level);
  const method = (name: LogLevelName): LogMethod => {
    if (order.indexOf(name) < min) return noop;
    const contractLevel = logLevels[name];
    return (message: unknown, data?: unknown) => writer.write(contractLevel, message, data, bindings);
  };
  return {
    level,
    debug: method("debug"),
    info: method("info"),
    warn: method("warn"),
    error: method("error"),
    fatal: method("fatal"),
    write(name, message, data, error) {
      const known = levelNameOf(name);
      if (order.indexOf(known) < min) return;
      writer.write(
        logLevels[known],
        message,
        error !== undefined && data === undefined ? error : data === undefined ? undefined : { ...data, ...(error === undefined ? {} : { err: error }) },
        bindings,
      );
    },
    child(more) {
      const own = writer.safeFields(more);
      return createLogApi(writer, level, addFile, bindings === undefined ? own : { ...bindings, ...own });
    },
    addFile,
  };
}
