// The dispatcher: usage, unknown commands, every command's --help, lazy loading, the real executable.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliExitCodes } from "../../runtime/cli/cli-command.js";
import { cliCommands } from "../../runtime/cli/commands.js";
import { cliUsage, runCli } from "../../runtime/cli/run-cli.js";
import { runCommandInProcess } from "../helpers/cli-io.js";
import { repoRoot } from "../helpers/daemons.js";

describe("emp-telemetry", () => {
  it("prints the usage listing every command on --help, -h and help, exit 0", async () => {
    for (const flag of ["--help", "-h", "help"]) {
      const r = await runCommandInProcess([flag]);
      expect(r.code).toBe(cliExitCodes.ok);
      expect(r.stdout).toBe(cliUsage());
      expect(r.stderr).toBe("");
    }
    for (const c of cliCommands) expect(cliUsage()).toMatch(new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
  });

  it("registers every command, in the order the usage lists them", () => {
    expect(cliCommands.map((c) => c.name)).toEqual([
      "dev",
      "doctor",
      "contract-test",
      "fluent-bit-config",
      "fluentd-config",
      "collector-config",
      "validate",
      "check",
      "contract",
    ]);
  });

  it("answers an unknown command with the usage on stderr and exit 2", async () => {
    const r = await runCommandInProcess(["deploy"]);
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('unknown command "deploy"');
    expect(r.stderr).toContain(cliUsage());
  });

  it("answers no command with the usage on stderr and exit 2", async () => {
    const r = await runCommandInProcess([]);
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stderr).toContain("missing command");
  });

  for (const c of cliCommands) {
    it(`prints the ${c.name} usage on --help and -h, exit 0`, async () => {
      for (const flag of ["--help", "-h"]) {
        const r = await runCommandInProcess([c.name, flag]);
        expect(r.code).toBe(cliExitCodes.ok);
        expect(r.stdout).toMatch(new RegExp(`^usage: emp-telemetry ${c.name}\\b`));
        expect(r.stderr).toBe("");
      }
    });

    it(`rejects an unknown ${c.name} option with exit 2`, async () => {
      const r = await runCommandInProcess([c.name, "--no-such-option"]);
      expect(r.code).toBe(cliExitCodes.usage);
      expect(r.stderr).toContain("--no-such-option");
    });
  }

  it("reports a command that fails to load or throws on stderr, exit 2", async () => {
    const broken = [{ name: "broken", summary: "throws", load: () => Promise.reject(new Error("module missing")) }];
    const r = await runCommandInProcess(["broken"], {}, (argv, io) => runCli(argv, io, broken));
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stderr).toBe("emp-telemetry broken: module missing\n");
  });

  it("loads command modules lazily: the dispatcher imports none of them statically", () => {
    for (const file of ["main.ts", "run-cli.ts", "commands.ts", "cli-command.ts"]) {
      const source = readFileSync(path.join(repoRoot, "runtime/cli", file), "utf8");
      const staticImports = [...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
      expect(
        staticImports.filter(
          (s) => s?.includes("commands/") || s?.includes("generated") || s?.includes("check") || s?.includes("fluent-bit") || s?.includes("collector"),
        ),
      ).toEqual([]);
    }
    expect(readFileSync(path.join(repoRoot, "runtime/cli/commands.ts"), "utf8").match(/await import\("\.\/commands\//g)).toHaveLength(cliCommands.length);
  });

  it("runs as a real process: node --import tsx runtime/cli/main.ts --help", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "runtime/cli/main.ts", "--help"], { cwd: repoRoot, encoding: "utf8", timeout: 20000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(cliUsage());
  });

  it("sets the exit code of a real process: unknown command exits 2", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "runtime/cli/main.ts", "no-such-command"], { cwd: repoRoot, encoding: "utf8", timeout: 20000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "no-such-command"');
  });

  it("keeps main.ts an executable script", () => {
    expect(readFileSync(path.join(repoRoot, "runtime/cli/main.ts"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});
