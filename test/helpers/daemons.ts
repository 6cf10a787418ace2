/**
 * Start and stop the real Fluentd / Fluent Bit from ../shared/tools for interop tests, on 127.0.0.1
 * only, with bounded waits (port polling and file polling with deadlines, no fixed sleeps).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/** The repository root (this file is test/helpers/daemons.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Shared tools directory, next to the repository. */
export const toolsDir = path.resolve(repoRoot, "../shared/tools");

/** Distinct free TCP ports on 127.0.0.1 (bound, read, released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer().listen(0, "127.0.0.1");
      await once(server, "listening");
      return server;
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** A temporary directory removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A daemon started in its own process group, output in `logPath`. */
export interface Daemon {
  readonly child: ChildProcess;
  readonly logPath: string;
  /** The log so far (for assertion messages). */
  log(): string;
  /** SIGTERM to the process group, SIGKILL after `graceMs` (default 8000). */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `command args` detached (own process group) with stdout+stderr to `logPath`. */
export function startDaemon(command: string, args: readonly string[], logPath: string): Daemon {
  const fd = openSync(logPath, "a");
  const child = spawn(command, args, { cwd: repoRoot, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const exited = once(child, "exit");
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  return {
    child,
    logPath,
    log: () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : ""),
    async stop(graceMs = 8000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      signalGroup("SIGKILL"); // workers that outlived the supervisor
    },
  };
}

/** Resolves once `port` on 127.0.0.1 accepts a connection; throws after `timeoutMs` or if the daemon exits. */
export async function waitForPort(port: number, daemon: Daemon, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (daemon.child.exitCode !== null) throw new Error(`daemon exited (${daemon.child.exitCode}):\n${daemon.log()}`);
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`port ${port} not accepting after ${timeoutMs} ms:\n${daemon.log()}`);
    await delay(100);
  }
}

/** Polls the lines of every file in `dir` until `done(lines)` or the deadline; returns the last lines read. */
export async function pollLines(dir: string, done: (lines: string[]) => boolean, timeoutMs = 10000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = existsSync(dir)
      ? readdirSync(dir)
          .flatMap((f) => readFileSync(path.join(dir, f), "utf8").split("\n"))
          .filter((l) => l.trim() !== "")
      : [];
    if (done(lines) || Date.now() > deadline) return lines;
    await delay(100);
  }
}
