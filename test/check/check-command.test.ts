import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CheckReport } from "../../runtime/check/check-report.js";
import { checkExitCodes, runCheckCommand } from "../../runtime/check/check-command.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const fixture = fileURLToPath(new URL("../fixtures/check-project/", import.meta.url));

const run = async (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  let stdout = "";
  let stderr = "";
  const code = await runCheckCommand(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
};

describe("runCheckCommand", () => {
  const cleanups = cleanupsAfterEach();

  it("exits 1 and prints the findings when the check finds errors", async () => {
    const { code, stdout, stderr } = await run([fixture]);
    expect(code).toBe(checkExitCodes.failed);
    expect(stdout).toContain("src/worker.ts:10:14  error  unknown-event-name");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("✗ 20 errors, 2 warnings in 5 files");
    expect(stderr).toBe("");
  });

  it("prints the report as JSON with --json, before or after the directory", async () => {
    for (const argv of [
      [fixture, "--json"],
      ["--json", fixture],
    ]) {
      const { code, stdout } = await run(argv);
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as CheckReport;
      expect(report).toMatchObject({ status: "failed", errorCount: 20, warningCount: 2 });
    }
  });

  it("exits 0 when only warnings are found", async () => {
    const dir = await mkdtemp(join(tmpdir(), "emp-check-cmd-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "a.ts"), "export function f(name: string) { telemetry.trace.event(name); }\n");
    const { code, stdout } = await run([dir]);
    expect(code).toBe(checkExitCodes.passed);
    expect(stdout).toContain("✓ 0 errors, 1 warning in 1 file");
  });

  it("exits 2 with the usage on missing, extra or unknown arguments", async () => {
    for (const argv of [[], [fixture, fixture], [fixture, "--yaml"]]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(checkExitCodes.usage);
      expect(stdout).toBe("");
      expect(stderr).toContain("usage: emp-telemetry check [--json] <dir>");
      expect(stderr).toMatch(/^emp-telemetry check: /);
    }
  });

  it("exits 2 naming the directory when it cannot be read", async () => {
    const missing = join(fixture, "missing");
    const { code, stderr } = await run([missing]);
    expect(code).toBe(checkExitCodes.usage);
    expect(stderr).toContain(`cannot check ${missing}`);
  });

  it("prints the usage and exits 0 with --help", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("usage:");
  });
});
