import { describe, expect, it } from "vitest";
import { type CheckFinding, createCheckReport } from "../../runtime/check/check-report.js";
import { formatCheckReport } from "../../runtime/check/format-check-report.js";

const finding = (over: Partial<CheckFinding>): CheckFinding => ({
  file: "src/a.ts",
  line: 3,
  column: 7,
  rule: "alias-key",
  severity: "error",
  message: "`jobId` is an alias of the contract key `emp.job.id`",
  suggestion: "use `emp.job.id`",
  ...over,
});

describe("formatCheckReport", () => {
  it("writes one located line and one suggestion line per finding, then a summary", () => {
    const report = createCheckReport("svc", 2, [
      finding({}),
      finding({ file: "src/b.ts", line: 1, column: 1, rule: "unknown-event-name", severity: "warning", message: "m", suggestion: "s" }),
    ]);
    expect(formatCheckReport(report, "text")).toBe(
      [
        "src/a.ts:3:7  error  alias-key  `jobId` is an alias of the contract key `emp.job.id`",
        "    → use `emp.job.id`",
        "src/b.ts:1:1  warning  unknown-event-name  m",
        "    → s",
        "✗ 1 error, 1 warning in 2 files",
        "",
      ].join("\n"),
    );
  });

  it("writes a single summary line for a clean report", () => {
    expect(formatCheckReport(createCheckReport("svc", 1, []), "text")).toBe("✓ 0 errors, 0 warnings in 1 file\n");
  });

  it("writes JSON that parses back to the report", () => {
    const report = createCheckReport("svc", 1, [finding({ message: 'quote " and \\ and\nnewline' })]);
    expect(JSON.parse(formatCheckReport(report, "json"))).toEqual(report);
  });
});

describe("createCheckReport", () => {
  it("sorts findings by file, line, column and rule", () => {
    const report = createCheckReport("svc", 2, [
      finding({ file: "b.ts", line: 1 }),
      finding({ line: 9 }),
      finding({ line: 3, column: 7, rule: "secret-in-log" }),
      finding({ line: 3, column: 7, rule: "unknown-event-name" }),
    ]);
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`)).toEqual([
      "b.ts:1:7 alias-key",
      "src/a.ts:3:7 unknown-event-name",
      "src/a.ts:3:7 secret-in-log",
      "src/a.ts:9:7 alias-key",
    ]);
  });

  it("passes with warnings only and fails with any error", () => {
    expect(createCheckReport("svc", 1, [finding({ severity: "warning" })])).toMatchObject({ status: "passed", errorCount: 0, warningCount: 1 });
    expect(createCheckReport("svc", 1, [finding({})])).toMatchObject({ status: "failed", errorCount: 1, warningCount: 0 });
  });
});
