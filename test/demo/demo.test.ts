// `npm start` as a user runs it: the demo exits 0 and shows every service, one trace across them,
// and no contract violation.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/run-command.js";

describe("the demo (npm start)", () => {
  it("runs the four services on the local collector and reports a clean pipeline", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "examples/demo.ts"], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    for (const service of ["api-server", "comfyui-worker", "gpu-machine", "webhook-service"])
      expect(r.stdout).toMatch(new RegExp(`${service}\\s+logs\\s+[1-9]`));
    expect(r.stdout).toContain("Contract violations: 0");
    expect(r.stdout).toContain("pipeline: OK");
    expect(r.stdout).toMatch(/otlp \(traces\)->collector\s+ok/);
    const trace = r.stdout.split("Trace of job-1")[1] ?? "";
    for (const span of ["POST /jobs", "job.process", "webhook.deliver"]) expect(trace).toContain(span);
  }, 150_000);
});
