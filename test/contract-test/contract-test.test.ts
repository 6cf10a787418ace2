// The contract test harness: the four example services pass it; a careless service fails it for
// the right reasons.
import { describe, expect, it } from "vitest";
import { groupFindings, type ContractFinding } from "../../runtime/contract-test/contract-findings.js";
import { keyProblem } from "../../runtime/contract-test/contract-keys.js";
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
    expect(rules).toContainEqual(expect.stringMatching(/^alias-key `jobId` spells the contract key `emp\.job\.id` another way/));
    expect(rules).toContainEqual(expect.stringMatching(/^schema `service\.name` is missing$/));
    expect(rules).toContainEqual(expect.stringMatching(/^unknown-key `emp\.job\.priority` is in the contract's emp\.\* namespace/));
    expect(rules).toContainEqual(expect.stringMatching(/^correlation log names trace 4bf92f35/));
    expect(formatContractTestReport(report)).toContain("FAILED");
  }, 60_000);

  it("passes the README's own client example: `{ port }`, `child({ component })`, a `${method} ${route}` span", async () => {
    const report = await runContractTest({
      command: tsx("test/fixtures/contract-test/readme-service.ts"),
      stdio: "ignore",
      env: { SERVICE_NAME: "readme-api" },
    });
    expect(report.findings, formatContractTestReport(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.services).toEqual([expect.objectContaining({ service: "readme-api", findings: 0 })]);
    expect(report.services[0]?.spans).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it("fails when no record arrives", async () => {
    const report = await runContractTest({ command: [process.execPath, "-e", "0"], stdio: "ignore" });
    expect(report.ok).toBe(false);
    expect(formatContractTestReport(report)).toContain("no record arrived");
  }, 30_000);
});

describe("the key rule", () => {
  const known = new Set(["emp.job.id", "service.name"]);
  it("lets a service's own undotted keys through, as the README writes them", () => {
    for (const key of ["port", "component", "attempts", "duration", "emp.job.id", "http.route", "app.queue.depth"])
      expect(keyProblem(key, known), key).toBeUndefined();
  });
  it("names an alias of a contract key, an undeclared emp.* key and a foreign namespace", () => {
    expect(keyProblem("jobId", known)).toEqual({ rule: "alias-key", message: "`jobId` spells the contract key `emp.job.id` another way: use `emp.job.id`" });
    expect(keyProblem("emp.job.priority", known)?.rule).toBe("unknown-key");
    expect(keyProblem("acme.cost", known)).toEqual({
      rule: "unknown-key",
      message: "`acme.cost` is in a namespace that is neither the contract's nor OpenTelemetry's: use app.acme.cost or a contract key",
    });
  });
});

describe("groupFindings", () => {
  const finding = (service: string, key: string, signal: string, seq: number): ContractFinding => ({
    service,
    rule: "unknown-key",
    key,
    message: `\`${key}\` is foreign`,
    signal,
    seq,
  });
  it("counts findings per rule and key, most frequent first, per service and signal", () => {
    const findings = [
      finding("api", "a.b", "logs", 1),
      finding("api", "c.d", "logs", 2),
      finding("api", "c.d", "spans", 3),
      finding("worker", "c.d", "logs", 4),
    ];
    expect(groupFindings(findings)).toEqual([
      {
        rule: "unknown-key",
        key: "c.d",
        message: "`c.d` is foreign",
        count: 3,
        services: [
          { service: "api", signals: { logs: 1, spans: 1 } },
          { service: "worker", signals: { logs: 1 } },
        ],
        first: "api logs#2",
      },
      { rule: "unknown-key", key: "a.b", message: "`a.b` is foreign", count: 1, services: [{ service: "api", signals: { logs: 1 } }], first: "api logs#1" },
    ]);
  });
  it("prints one line per group with its count, not one per record", () => {
    const findings = Array.from({ length: 58 }, (_, i) => finding("api", i % 2 === 0 ? "x.port" : "x.component", "logs", i + 1));
    const text = formatContractTestReport({ ok: false, commandExitCode: 0, records: 58, services: [], findings, groups: groupFindings(findings) });
    expect(text).toContain("58 findings for 2 keys:");
    expect(text).toMatch(/^ +×29 +\[unknown-key\] `x\.component` is foreign$/m);
    expect(text.split("\n").filter((l) => l.includes("[unknown-key]"))).toHaveLength(2);
  });
});
