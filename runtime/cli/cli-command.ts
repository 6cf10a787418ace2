import { parseArgs, type ParseArgsConfig } from "node:util";

/** Anything with `write(string)`, such as `process.stdout`. */
export interface CliWritable {
  write(chunk: string): unknown;
}

/** What a command may touch: its output streams and the environment it reads (never `process.env` directly). */
export interface CliIo {
  /** Receives the command's result (config text, report). */
  readonly stdout: CliWritable;
  /** Receives usage, warnings and failure messages. */
  readonly stderr: CliWritable;
  /** Environment the command reads, e.g. `process.env`; tests pass their own. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * One subcommand: parses its own `argv` (the arguments after the command name), writes to `io` and
 * resolves with the process exit code ({@link cliExitCodes}). Never rejects: failures are messages
 * on `io.stderr` and a non-zero code.
 */
export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Exit codes shared by every command. */
export const cliExitCodes = Object.freeze({
  /** Done; for `validate` and `check`: nothing wrong found. */
  ok: 0,
  /** The command ran and found problems (contract violations, check findings). */
  failed: 1,
  /** Bad arguments, unknown command, invalid configuration or unreadable input (message on stderr). */
  usage: 2,
});

/** Parsed flags and positionals of {@link parseCommandArgs}. */
export type ParsedArgs<O extends NonNullable<ParseArgsConfig["options"]>> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/**
 * Parses `argv` of `emp-telemetry <command>` strictly with `node:util` `parseArgs` (unknown flags and
 * missing values are errors). `--help`/`-h` is answered here: the usage goes to stdout and the result
 * is the exit code 0. On a parse error a readable message ({@link readableParseError}: the option, what
 * is wrong, the nearest known option) and the usage go to stderr and the result is exit code 2.
 * Otherwise the parsed values and positionals. Never throws.
 */
export async function parseCommandArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  argv: readonly string[],
  options: O,
  usage: string,
  io: CliIo,
): Promise<ParsedArgs<O> | number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(usage);
    return cliExitCodes.ok;
  }
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error: unknown) {
    return usageError(io, command, await readableParseError(error, Object.keys(options)), usage);
  }
}

/**
 * A `parseArgs` error as one line for people: `unknown option --jsn; did you mean --json?`,
 * `--format needs a value`, `--json takes no value`, instead of Node's text about positionals and
 * `--` terminators. `known` are the command's long option names (without dashes).
 */
export async function readableParseError(error: unknown, known: readonly string[]): Promise<string> {
  const message = errorText(error);
  const option = /'(-{1,2}[^' =]+)/.exec(message)?.[1] ?? "";
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const { suggestOptionKey } = await import("../config/did-you-mean.js");
    const near = suggestOptionKey(option.replace(/^-+/, ""), known);
    const takes = known.length === 0 ? "; this command takes no options besides --help" : `; options: ${known.map((k) => `--${k}`).join(", ")}, --help`;
    return `unknown option ${option}${near === undefined ? takes : `; did you mean --${near}?`}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return message.includes("does not take") ? `${option} takes no value` : `${option} needs a value`;
  return message;
}

/** Writes `emp-telemetry <command>: <message>` and the usage to stderr; returns exit code 2. */
export function usageError(io: CliIo, command: string, message: string, usage: string): number {
  io.stderr.write(`${commandPrefix(command)}${message}\n${usage}`);
  return cliExitCodes.usage;
}

/** Writes `emp-telemetry <command>: <message>` to stderr; returns `code`. Every command's errors and warnings start so. */
export function commandError(io: CliIo, command: string, message: string, code: number = cliExitCodes.usage): number {
  io.stderr.write(`${commandPrefix(command)}${message}\n`);
  return code;
}

/** `emp-telemetry <command>: `, the start of every line a command writes to stderr. */
export function commandPrefix(command: string): string {
  return `emp-telemetry ${command}: `;
}

/** The message of a caught value, for stderr. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
