import { isGlob } from "./log-files-paths.js";

/**
 * Where this service's own entries go when `log.addFile(path)` writes them to a file as well, so a
 * record reaches Fluentd once (the generated Fluent Bit configuration follows it):
 * - `direct`: straight from the client to Fluentd; the file is a local copy Fluent Bit does not tail.
 * - `file`: through the file (Fluent Bit tails it into Fluentd); the client stops sending to Fluentd itself.
 * - `both`: both paths; Fluentd gets each entry twice and dedupes on `service.instance.id` + `timestamp`.
 */
export type LogFileRouting = "direct" | "file" | "both";

/** Every {@link LogFileRouting}. */
export const logFileRoutings: readonly LogFileRouting[] = Object.freeze(["direct", "file", "both"]);

/** Options of `log.addFile`. */
export interface AddFileOptions {
  /** Fluent Bit tag of the file's records (the stream's name). Default `emp.file.<file name>`. */
  tag?: string;
  /**
   * The file is written by another program (Winston's `combined.log`, a GPU service's output): it is
   * only registered for Fluent Bit to tail under `tag`, never written. Globs always are. Default false.
   */
  external?: boolean;
  /**
   * Routing of this service's entries written to the file. Default `file` when the client writes the
   * Fluent Bit configuration (`autoFluentBitConfig`) or has no Fluentd sink, else `direct`.
   */
  routing?: LogFileRouting;
}

/** What `log.addFile` was asked, read once from its arguments. */
export interface AddFileRequest {
  /** Path or glob, as given. */
  readonly path: string;
  /** Tag (stream name), if given. */
  readonly tag: string | undefined;
  /** True when another program writes the file (or it is a glob): it is only tailed. */
  readonly external: boolean;
  /** Routing of our entries, if given. */
  readonly routing: LogFileRouting | undefined;
}

/**
 * Reads `log.addFile(path, nameOrOptions)` once. A string second argument is the old client's form,
 * `addFile(path, streamName)`: a file someone else writes, tailed under that name.
 * @throws Error naming what is wrong (the caller counts it; nothing reaches the service).
 */
export function readAddFileRequest(path: unknown, nameOrOptions: unknown): AddFileRequest {
  if (typeof path !== "string" || path === "" || path.includes("\0")) throw new Error("log.addFile needs a file path");
  if (typeof nameOrOptions === "string") {
    if (nameOrOptions === "") throw new Error("log.addFile's stream name must be a non-empty string");
    return { path, tag: nameOrOptions, external: true, routing: undefined };
  }
  if (nameOrOptions === undefined || nameOrOptions === null) return { path, tag: undefined, external: isGlob(path), routing: undefined };
  const o = nameOrOptions as AddFileOptions;
  const tag: unknown = o.tag;
  const external: unknown = o.external;
  const routing: unknown = o.routing;
  if (tag !== undefined && (typeof tag !== "string" || tag === "")) throw new Error("log.addFile's tag must be a non-empty string");
  if (external !== undefined && typeof external !== "boolean") throw new Error("log.addFile's external must be true or false");
  if (routing !== undefined && !(logFileRoutings as readonly unknown[]).includes(routing))
    throw new Error('log.addFile\'s routing must be "direct", "file" or "both"');
  return { path, tag, external: external === true || isGlob(path), routing: routing as LogFileRouting | undefined };
}
