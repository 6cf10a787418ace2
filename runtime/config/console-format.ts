import type { Parser } from "./parse-values.js";

/**
 * What the client prints on stdout for each log entry, for development: `pretty` (one readable,
 * coloured line), `json` (one JSON line, the entry's plain record) or `off` (nothing, the default).
 */
export type ConsoleFormat = "pretty" | "json" | "off";

/** Every {@link ConsoleFormat}. */
export const consoleFormats: readonly ConsoleFormat[] = Object.freeze(["pretty", "json", "off"]);

/** One of `pretty`, `json`, `off` (case-insensitive). */
export const parseConsoleFormat: Parser<ConsoleFormat> = (raw) => {
  const text = typeof raw === "string" ? raw.toLowerCase() : undefined;
  const format = consoleFormats.find((candidate) => candidate === text);
  return format === undefined ? { ok: false, problem: `must be one of ${consoleFormats.join(", ")}` } : { ok: true, value: format };
};
