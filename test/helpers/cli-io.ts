/** In-process runs of `emp-telemetry` commands with captured output. */
import type { CliCommand, CliIo } from "../../runtime/cli/cli-command.js";
import { runCli } from "../../runtime/cli/run-cli.js";

/** Exit code and everything a command wrote. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` (default: the whole CLI, `runCli`) with `argv` and `env` (default: empty), capturing stdout and stderr. */
export async function runCommandInProcess(argv: readonly string[], env: CliIo["env"] = {}, command: CliCommand = runCli): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
  };
  const code = await command(argv, io);
  return { code, stdout, stderr };
}

/** Secret values the CLI tests put in the environment; none may appear in any output. */
export const cliTestSecrets = Object.freeze({
  FLUENTD_SHARED_KEY: "shared-key-7f3a9c1e5b",
  DASH0_API_KEY: "auth_dash0_token_91c4e2a7",
  DASH0_AUTH_TOKEN: "auth_dash0_token_91c4e2a7",
  OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20otlp_header_secret_55d1",
});

/** The raw secret strings of {@link cliTestSecrets}, decoded as a reader would. */
export const cliTestSecretValues: readonly string[] = ["shared-key-7f3a9c1e5b", "auth_dash0_token_91c4e2a7", "otlp_header_secret_55d1"];
