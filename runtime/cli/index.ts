/**
 * `@emp/telemetry/cli`: the `emp-telemetry` command line as a function, for scripts and tests:
 * `runCli(argv, io)` resolves to the exit code. The executable (`main.ts`) loads commands lazily.
 */
export { runCli, cliUsage } from "./run-cli.js";
export { cliExitCodes } from "./cli-command.js";
export type { CliIo, CliWritable } from "./cli-command.js";
