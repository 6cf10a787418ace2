import { isatty } from "node:tty";
import type { StandardLogEntry } from "../../../generated/index.js";
import type { ConsoleFormat } from "../../config/console-format.js";
import { fdLineWriter } from "./fd-line-writer.js";
import { jsonLine } from "./json-line.js";
import { prettyLine } from "./pretty-line.js";

/** Options of {@link createConsolePrinter}. */
export interface ConsolePrinterOptions {
  /** Where lines go. Default: stdout, buffered and written asynchronously ({@link FdLineWriter}). */
  readonly write?: (line: string) => void;
  /** ANSI colours in `pretty` lines. Default: see {@link consoleColors}. */
  readonly colors?: boolean;
}

/**
 * Whether console lines are coloured: stdout is a terminal and `NO_COLOR` is not set (no-color.org),
 * or `FORCE_COLOR` is set to anything but `0` (and `NO_COLOR` is not).
 */
export function consoleColors(env: Readonly<Record<string, string | undefined>>, stdoutIsTerminal = isatty(1)): boolean {
  if ((env.NO_COLOR ?? "") !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0";
  return stdoutIsTerminal;
}

/**
 * The log writer's printer for `format`: each entry as a {@link prettyLine} or {@link jsonLine} on stdout,
 * or `undefined` for `off`, so that the log path does no work at all. The printer never throws: an
 * entry it cannot print is skipped.
 */
export function createConsolePrinter(format: ConsoleFormat, options: ConsolePrinterOptions = {}): ((entry: StandardLogEntry) => void) | undefined {
  if (format === "off") return undefined;
  const write = options.write ?? lineWriterOfStdout();
  const colors = options.colors ?? false;
  const toLine = format === "json" ? jsonLine : (entry: StandardLogEntry): string => prettyLine(entry, { colors });
  return (entry) => {
    try {
      write(`${toLine(entry)}\n`);
    } catch {
      // an entry that cannot be printed is only not printed: the sinks have it
    }
  };
}

function lineWriterOfStdout(): (line: string) => void {
  const writer = fdLineWriter(1);
  return (line) => writer.push(line);
}

/** One printer calling each given one, or `undefined` when none is given (no work per entry). */
export function combinedPrinter(...printers: (((entry: StandardLogEntry) => void) | undefined)[]): ((entry: StandardLogEntry) => void) | undefined {
  const given = printers.filter((p) => p !== undefined);
  if (given.length <= 1) return given[0];
  return (entry) => {
    for (const print of given) print(entry);
  };
}
