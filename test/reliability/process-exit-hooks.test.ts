import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { installProcessExitHooks, processExitHooksDefaults } from "../../runtime/reliability/process-exit-hooks.js";
import { repoRoot } from "../helpers/daemons.js";
import { startForwardReceiver, type ForwardReceiver } from "../helpers/forward-receiver.js";
import { receivedSeqs } from "../helpers/seq-records.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const child = path.join(repoRoot, "test/helpers/exit-hooks-child.ts");
const cleanups = cleanupsAfterEach();

async function receiver(): Promise<ForwardReceiver> {
  const r = await startForwardReceiver();
  cleanups.push(() => r.close());
  return r;
}

/** Runs the child; calls `whenReady` once it printed "ready"; resolves with how it ended. */
async function runChild(
  port: number,
  count: number,
  mode: string,
  whenReady?: (pid: number) => void,
  childSignal = "SIGTERM",
): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", child, String(port), String(count), mode, childSignal], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  let stderr = "";
  let stdout = "";
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (chunk.toString().includes("ready") && proc.pid !== undefined) whenReady?.(proc.pid);
  });
  const [code, signal] = (await once(proc, "exit")) as [number | null, string | null];
  clearTimeout(killer);
  return { code, signal, stderr, stdout };
}

describe("installProcessExitHooks", () => {
  it("documents a 5 s deadline on SIGTERM, SIGINT and beforeExit", () => {
    expect(processExitHooksDefaults).toEqual({ timeoutMs: 5000, signals: ["SIGTERM", "SIGINT"], beforeExit: true });
  });

  it("flushes queued records on SIGTERM, then dies of SIGTERM as it would have without the hooks", { timeout: 20_000 }, async () => {
    const r = await receiver();
    const result = await runChild(r.port, 500, "signal", (pid) => process.kill(pid, "SIGTERM"));
    expect(result, result.stderr).toMatchObject({ code: null, signal: "SIGTERM" });
    const seqs = new Set(receivedSeqs(r.frames));
    expect(seqs.size).toBe(500);
  });

  // Issue 13 item 2: an app's own handler (once, before or after the hooks, or on) decides when to exit; without one, the signal kills.
  const signalCases: [mode: string, signal: string, ending: { code: number | null; signal: string | null }][] = [
    ["signal-once-before", "SIGTERM", { code: 0, signal: null }],
    ["signal-once-after", "SIGTERM", { code: 0, signal: null }],
    ["signal-on", "SIGTERM", { code: 0, signal: null }],
    ["signal-once-before", "SIGINT", { code: 0, signal: null }],
    ["signal", "SIGINT", { code: null, signal: "SIGINT" }],
  ];
  for (const [mode, signal, ending] of signalCases) {
    const what = ending.code === 0 ? "lets the app's graceful handler finish and exit 0" : `dies of ${signal} as without the hooks`;
    it(`${what} (${mode}, ${signal}), after flushing`, { timeout: 20_000 }, async () => {
      const r = await receiver();
      const result = await runChild(r.port, 300, mode, (pid) => process.kill(pid, signal), signal);
      expect(result, result.stderr).toMatchObject(ending);
      if (ending.code === 0) expect(result.stdout).toContain("graceful done");
      expect(new Set(receivedSeqs(r.frames)).size).toBe(300);
    });
  }

  it("keeps the app's process.exitCode at beforeExit", { timeout: 20_000 }, async () => {
    const r = await receiver();
    const result = await runChild(r.port, 100, "beforeExit-code");
    expect(result, result.stderr).toMatchObject({ code: 3, signal: null });
    expect(new Set(receivedSeqs(r.frames)).size).toBe(100);
  });

  it("flushes queued records when a script simply ends (beforeExit), and exits with 0", { timeout: 20_000 }, async () => {
    const r = await receiver();
    const result = await runChild(r.port, 300, "beforeExit");
    expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
    expect(new Set(receivedSeqs(r.frames)).size).toBe(300);
  });

  it("loses queued records at exit when the hooks are off (why they are on by default)", { timeout: 20_000 }, async () => {
    const r = await receiver();
    const result = await runChild(r.port, 300, "off");
    expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
    expect(r.frames).toHaveLength(0);
  });

  it("throws config_invalid for bad options and installs nothing", () => {
    const before = process.listenerCount("SIGTERM");
    expect(() => installProcessExitHooks([], { timeoutMs: 0, signals: ["SIGKILL" as never] })).toThrow(/timeoutMs=0.*signals=/);
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });

  it("removes its process listeners when uninstalled", () => {
    const counts = (): { term: number; exit: number; removals: number } => ({
      term: process.listenerCount("SIGTERM"),
      exit: process.listenerCount("beforeExit"),
      removals: process.listenerCount("removeListener"),
    });
    const before = counts();
    const hooks = installProcessExitHooks([], { signals: ["SIGTERM"] });
    expect(process.listenerCount("SIGTERM")).toBe(before.term + 1);
    const second = installProcessExitHooks([], { signals: ["SIGTERM"] });
    expect(counts()).toEqual({ ...before, term: before.term + 1, removals: before.removals + 1, exit: before.exit + 1 }); // shared listeners
    hooks.uninstall();
    expect(process.listenerCount("SIGTERM")).toBe(before.term + 1);
    second.uninstall();
    second.uninstall();
    expect(counts()).toEqual(before);
  });
});
