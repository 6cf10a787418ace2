import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { repoRoot } from "./daemons.js";

export { repoRoot };

/** Result of a finished command. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (bounded by `timeoutMs`), with node_modules/.bin on PATH. */
export function runCommand(command: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): CommandResult {
  const r = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, PATH: `${resolve(repoRoot, "node_modules/.bin")}:${process.env.PATH ?? ""}` },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
