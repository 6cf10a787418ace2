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
 * Parses `argv` strictly with `node:util` `parseArgs` (unknown flags and missing values are errors).
 * `--help`/`-h` is answered here: the usage goes to stdout and the result is the exit code 0.
 * On a parse error the message and the usage go to stderr and the result is exit code 2.
 * Otherwise the parsed values and positionals. Never throws.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
  usage: string,
  io: CliIo,
): ParsedArgs<O> | number {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(usage);
    return cliExitCodes.ok;
  }
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error: unknown) {
    return usageError(io, error instanceof Error ? error.message : String(error), usage);
  }
}

/** Writes `message` and the usage to stderr; returns exit code 2. */
export function usageError(io: CliIo, message: string, usage: string): number {
  io.stderr.write(`emp-telemetry: ${message}\n${usage}`);
  return cliExitCodes.usage;
}

/** The message of a caught value, for stderr. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
