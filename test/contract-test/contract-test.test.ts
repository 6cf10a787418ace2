// The contract test harness: the four example services pass it; a careless service fails it for
// the right reasons.
import { describe, expect, it } from "vitest";
import { formatContractTestReport, runContractTest } from "../../runtime/contract-test/contract-test.js";

const tsx = (file: string, ...args: string[]): string[] => [process.execPath, "--import", "tsx", file, ...args];

describe("runContractTest", () => {
  it.each(["api", "webhook", "machine", "worker"])(
    "passes the %s example service",
    async (service) => {
      const report = await runContractTest({ command: tsx("examples/contract-scenario.ts", service), stdio: "ignore" });
      expect(report.findings, formatContractTestReport(report)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.services.map((s) => s.service)).toContain(
        { api: "api-server", webhook: "webhook-service", machine: "gpu-machine", worker: "comfyui-worker" }[service],
      );
    },
    90_000,
  );

  it("fails a careless service, naming each problem", async () => {
    const report = await runContractTest({ command: tsx("test/fixtures/contract-test/careless-service.ts"), stdio: "ignore" });
    expect(report.ok).toBe(false);
    const rules = report.findings.map((f) => `${f.rule} ${f.message}`);
    expect(rules).toContainEqual(expect.stringMatching(/^attribution /));
    expect(rules).toContainEqual(expect.stringMatching(/^schema service/));
    expect(rules).toContainEqual(expect.stringMatching(/^unknown-key `jobId` is outside/));
    expect(rules).toContainEqual(expect.stringMatching(/^unknown-key `emp\.job\.priority` is in the contract's emp\.\* namespace/));
    expect(rules).toContainEqual(expect.stringMatching(/^correlation log names trace 4bf92f35/));
    expect(formatContractTestReport(report)).toContain("FAILED");
  }, 60_000);

  it("fails when no record arrives", async () => {
    const report = await runContractTest({ command: [process.execPath, "-e", "0"], stdio: "ignore" });
    expect(report.ok).toBe(false);
    expect(formatContractTestReport(report)).toContain("no record arrived");
  }, 30_000);
});
