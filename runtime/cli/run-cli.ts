import { cliExitCodes, errorText, type CliIo } from "./cli-command.js";
import { cliCommands, type CliCommandEntry } from "./commands.js";
import { packageVersion } from "../package/package-version.js";

/** The top-level usage of `emp-telemetry`, listing `commands`. Pure. */
export function cliUsage(commands: readonly CliCommandEntry[] = cliCommands): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: emp-telemetry <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `emp-telemetry <command> --help` for a command's options; `emp-telemetry --version` for the version.",
    "Exit codes: 0 ok, 1 problems found (violations, findings), 2 bad usage, configuration or input.",
    "",
  ].join("\n");
}

/**
 * Runs `emp-telemetry` with `argv` (the arguments after the program name): `--help`/`-h`/`help` or
 * nothing prints the usage (exit 0 for help, 2 for nothing); `--version`/`-v` prints
 * `emp-telemetry <version>`; `<command> …` imports that command's module and runs it with the rest;
 * an unknown command names the nearest command (`docter` → `doctor`) and prints the usage to stderr, exit 2.
 * Resolves with the exit code; never rejects (a failing import or a bug in a command is reported on
 * stderr, exit 2). `commands` is for tests; default {@link cliCommands}.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommandEntry[] = cliCommands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(cliUsage(commands));
    return cliExitCodes.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`emp-telemetry ${packageVersion}\n`);
    return cliExitCodes.ok;
  }
  if (name === undefined) {
    io.stderr.write(`emp-telemetry: missing command\n${cliUsage(commands)}`);
    return cliExitCodes.usage;
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    const { suggestOptionKey } = await import("../config/did-you-mean.js");
    const near = name.startsWith("-")
      ? undefined
      : suggestOptionKey(
          name,
          commands.map((c) => c.name),
        );
    const hint = near === undefined ? "" : `; did you mean \`emp-telemetry ${near}\`?`;
    io.stderr.write(`emp-telemetry: unknown ${name.startsWith("-") ? "option" : "command"} ${JSON.stringify(name)}${hint}\n${cliUsage(commands)}`);
    return cliExitCodes.usage;
  }
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (error: unknown) {
    io.stderr.write(`emp-telemetry ${entry.name}: ${errorText(error)}\n`);
    return cliExitCodes.usage;
  }
}
