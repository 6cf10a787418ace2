// Runs test/fixtures/first-hour/app.mjs (the built package, as a service uses it) in a child process,
// asynchronously so that receivers in this process keep serving, and times it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { repoRoot } from "./daemons.js";

/** What a finished child did. */
export interface AppRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit, in ms. */
  readonly elapsedMs: number;
}

/** Runs `scenario` with `env` added to a clean service environment; killed after `timeoutMs`. */
export async function runFixtureApp(scenario: string, env: Record<string, string>, timeoutMs = 20_000): Promise<AppRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ["test/fixtures/first-hour/app.mjs", scenario], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", FLUENTD_HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, stdout, stderr, elapsedMs: performance.now() - started };
}

/** A port on 127.0.0.1 that refuses connections: bound by a server that is closed at once. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}
