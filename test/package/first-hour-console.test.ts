// TELEMETRY_CONSOLE in a script run as a developer runs it (the built package, stdout a pipe).
import { describe, expect, it } from "vitest";
import { refusedPort, runFixtureApp } from "../helpers/run-fixture-app.js";

async function consoleRun(env: Record<string, string>) {
  return runFixtureApp("console", { FLUENTD_PORT: String(await refusedPort()), EXIT_REPORT: "off", ...env });
}

describe("TELEMETRY_CONSOLE", () => {
  it("pretty prints one readable line per entry, without colours on a pipe, secrets redacted", async () => {
    const run = await consoleRun({ TELEMETRY_CONSOLE: "pretty" });
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}first-hour server started {2}port=3001 route=\/jobs$/);
    expect(lines[1]).toMatch(/ WARN {2}first-hour slow login {2}component=auth userId=7 password=\[redacted\]$/);
    expect(lines[2]).toMatch(/ ERROR first-hour job failed {2}error="TypeError: cannot read the job ← Error: redis: connection reset"$/);
    expect(run.stdout).not.toContain("\u001b[");
    expect(run.stdout).not.toContain("hunter2");
  });

  it("colours with FORCE_COLOR, and NO_COLOR wins", async () => {
    expect((await consoleRun({ TELEMETRY_CONSOLE: "pretty", FORCE_COLOR: "1" })).stdout).toContain("\u001b[33mWARN \u001b[0m");
    expect((await consoleRun({ TELEMETRY_CONSOLE: "pretty", FORCE_COLOR: "1", NO_COLOR: "1" })).stdout).not.toContain("\u001b[");
  });

  it("json prints one JSON record per line", async () => {
    const run = await consoleRun({ TELEMETRY_CONSOLE: "json" });
    const records = run.stdout
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.level, r.message])).toEqual([
      ["info", "server started"],
      ["warn", "slow login"],
      ["error", "job failed"],
    ]);
    expect(records[2]).toMatchObject({ "exception.type": "TypeError", "service.name": "first-hour" });
  });

  it("prints nothing by default", async () => {
    expect((await consoleRun({})).stdout).toBe("");
  });
});
