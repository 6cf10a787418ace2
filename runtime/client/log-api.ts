import type { BridgeTarget } from "../bridges/bridge-target.js";
import { safeData } from "../records/safe-data.js";
import type { AddFileOptions } from "./add-file-options.js";
import type { LogLevelName } from "./client-options.js";
import { type Bindings, logLevels, type LogWriter } from "./log-writer.js";

/**
 * The client's logger. Every method returns at once, never throws and never waits on the network;
 * levels below the client's `level` are no-ops.
 */
export interface LogApi extends BridgeTarget {
  /** Diagnostic detail. `data`: free-form fields (made safe, typed). */
  debug(message: string, data?: unknown): void;
  /** Normal operation. */
  info(message: string, data?: unknown): void;
  /** Something unexpected that the service handled. */
  warn(message: string, data?: unknown): void;
  /** A failure. Pass the Error itself to keep its type, stack and cause chain, or data with it under `err`. */
  error(message: string, dataOrError?: unknown): void;
  /** The service cannot continue. */
  fatal(message: string, dataOrError?: unknown): void;
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
  const method = (name: LogLevelName): ((message: string, data?: unknown) => void) => {
    if (order.indexOf(name) < min) return noop;
    const contractLevel = logLevels[name];
    return (message, data) => writer.write(contractLevel, message, data, bindings);
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
      const own = safeData(more, writer.repairs);
      return createLogApi(writer, level, addFile, bindings === undefined ? own : { ...bindings, ...own });
    },
    addFile,
  };
}
