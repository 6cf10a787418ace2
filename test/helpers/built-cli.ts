/** Runs the built `emp-telemetry` executable (`dist/runtime/cli/main.js`, package.json `bin`) as a real process. */
import { spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./daemons.js";

/** Exit code and output of a finished run. */
export interface BuiltCliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built executable, as `npm i @emp/telemetry` installs it. */
export const builtCli = path.join(repoRoot, "dist/runtime/cli/main.js");

/**
 * Runs `node dist/runtime/cli/main.js ...argv` with only `env` (plus PATH and HOME), killed after
 * `timeoutMs`. Asynchronous, so servers of the test process keep answering while it runs.
 */
export function runBuiltCli(argv: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 30_000): Promise<BuiltCliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtCli, ...argv], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
