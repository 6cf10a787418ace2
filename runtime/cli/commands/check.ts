import { runCheckCommand } from "../../check/check-command.js";
import type { CliCommand } from "../cli-command.js";

/**
 * `emp-telemetry check <dir> [--json]`: the static usage check of `runtime/check` ({@link runCheckCommand}),
 * exit 0 passed, 1 error findings, 2 bad arguments or unreadable directory.
 */
export const checkCommand: CliCommand = (argv, io) => runCheckCommand(argv, io);
