// `emp-telemetry check` (delegates to runtime/check) and `emp-telemetry contract` (the contract summary).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONTRACT_VERSION } from "../../generated/index.js";
import { cliExitCodes } from "../../runtime/cli/cli-command.js";
import { renderContractSummary } from "../../runtime/cli/commands/contract.js";
import { runCommandInProcess } from "../helpers/cli-io.js";
import { repoRoot } from "../helpers/daemons.js";

const fixture = fileURLToPath(new URL("../fixtures/check-project/", import.meta.url));

describe("emp-telemetry check", () => {
  it("runs the usage check on a directory: findings, exit 1", async () => {
    const r = await runCommandInProcess(["check", fixture]);
    expect(r.code).toBe(cliExitCodes.failed);
    expect(r.stdout).toContain("unknown-event-name");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^✗ \d+ errors/);
  });

  it("prints JSON with --json", async () => {
    const r = await runCommandInProcess(["check", "--json", fixture]);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "failed" });
  });

  it("exits 2 without a directory", async () => {
    const r = await runCommandInProcess(["check"]);
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stderr).toContain("missing <dir>");
  });
});

describe("emp-telemetry contract", () => {
  it("prints every message with its fields' target keys and the contract version", async () => {
    const r = await runCommandInProcess(["contract"]);
    expect(r.code).toBe(cliExitCodes.ok);
    expect(r.stdout).toBe(renderContractSummary());
    expect(r.stdout.split("\n")[0]).toBe(`emp.telemetry.v1 contract ${CONTRACT_VERSION}`);
    expect(r.stdout).toMatch(/^StandardLogEntry {2}\(emp\/telemetry\/v1\/log\)$/m);
    expect(r.stdout).toMatch(/^ {2}environment +otlp deployment\.environment\.name$/m);
    expect(r.stdout).toMatch(/^ {2}service +flattened into its parent$/m);
    expect(r.stdout).toMatch(new RegExp(`^\\d+ fields; every record carries emp\\.contract\\.version=${CONTRACT_VERSION.replaceAll(".", "\\.")}$`, "m"));
  });

  it("exits 2 on an argument", async () => {
    expect((await runCommandInProcess(["contract", "extra"])).code).toBe(cliExitCodes.usage);
  });

  it("is what the contract:summary script (contract-summary.ts) prints", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "runtime/cli/contract-summary.ts"], { cwd: repoRoot, encoding: "utf8", timeout: 20000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(renderContractSummary());
  });
});
