// The fixture with known findings IS the test: every line of test/fixtures/check-project/src that a
// careless team got wrong is listed here, and nothing else is reported.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckReport } from "../../runtime/check/check-report.js";
import { checkProject } from "../../runtime/check/check-project.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const fixture = fileURLToPath(new URL("../fixtures/check-project/", import.meta.url));

/** `file:line rule severity`, in report order. */
const expected = [
  "src/legacy.js:7 secret-in-log error", // { password: config.password }
  "src/legacy.js:8 secret-in-log error", // { sharedKey: process.env.FLUENTD_SHARED_KEY }
  "src/legacy.js:9 secret-in-log error", // logger.warn("dash0", process.env.DASH0_API_KEY)
  "src/legacy.js:10 unawaited-span error", // telemetry.startup.phase(...) floating
  "src/legacy.js:11 unknown-event-name warning", // span name config.spanName
  "src/legacy.js:12 alias-key error", // machineId
  "src/routes.ts:13 alias-key error", // jobId (shorthand)
  "src/routes.ts:13 alias-key error", // machine_id
  "src/routes.ts:14 secret-in-log error", // { apiKey } shorthand
  "src/routes.ts:15 secret-in-log error", // `${req.headers["authorization"]}`
  "src/routes.ts:16 unknown-event-name error", // "Job Submitted"
  "src/routes.ts:17 unknown-event-name warning", // `job.${jobId}.queued`
  "src/routes.ts:18 unknown-event-name error", // "models.startup" (reserved *.startup)
  "src/routes.ts:19 unawaited-span error", // trace.span("db.insert", async ...) floating
  "src/routes.ts:19 alias-key error", // attributes { job_id }
  "src/worker.ts:4 alias-key error", // child({ workerId })
  "src/worker.ts:4 alias-key error", // child({ "emp.job_id" })
  "src/worker.ts:8 unawaited-span error", // telemetry.job.process(...) floating
  "src/worker.ts:8 alias-key error", // jobLog (a child logger) .info({ jobID })
  "src/worker.ts:9 secret-in-log error", // { token: job.token }
  "src/worker.ts:10 unknown-event-name error", // "job.upload" (reserved job.*)
  "src/worker.ts:11 unawaited-span error", // trace.span("upload", () => fetchResult()) returns a Promise
];

describe("checkProject on the careless fixture", () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkProject(fixture);
  });

  it("reports exactly the known findings, by file, line, rule and severity", () => {
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.severity}`)).toEqual(expected);
  });

  it("reports nothing for the file of correct usage", () => {
    expect(report.findings.filter((f) => f.file === "src/clean.ts")).toEqual([]);
  });

  it("points at the offending node's column", () => {
    const at = (file: string, line: number, rule: string): number[] =>
      report.findings.filter((f) => f.file === file && f.line === line && f.rule === rule).map((f) => f.column);
    expect(at("src/routes.ts", 13, "alias-key")).toEqual([41, 48]);
    expect(at("src/worker.ts", 10, "unknown-event-name")).toEqual([14]);
    expect(at("src/worker.ts", 8, "unawaited-span")).toEqual([3]);
  });

  it("names the contract key in each alias finding's suggestion", () => {
    const suggestions = report.findings.filter((f) => f.rule === "alias-key").map((f) => f.suggestion.match(/^use `([^`]+)`/)?.[1]);
    expect(suggestions).toEqual(["emp.machine.id", "emp.job.id", "emp.machine.id", "emp.job.id", "emp.worker.id", "emp.job.id", "emp.job.id"]);
  });

  it("gives every finding a message and a suggestion", () => {
    for (const f of report.findings) {
      expect(f.message).not.toBe("");
      expect(f.suggestion).not.toBe("");
    }
  });

  it("counts errors and warnings and fails on errors", () => {
    expect(report).toMatchObject({ status: "failed", filesChecked: 5, errorCount: 20, warningCount: 2 });
  });
});

describe("checkProject", () => {
  const cleanups = cleanupsAfterEach();
  const tempProject = async (files: Record<string, string>): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), "emp-check-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(dir, path, ".."), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return dir;
  };
  const bad = 'telemetry.log.info("x", { jobId: 1, apiKey: k });\n';

  it("skips node_modules, dist, dot-directories, declaration files and other extensions", async () => {
    const dir = await tempProject({
      "node_modules/lib/index.js": bad,
      "dist/main.js": bad,
      ".cache/x.ts": bad,
      "src/types.d.ts": bad,
      "src/notes.md": bad,
      "src/ok.mjs": 'telemetry.log.info("fine", { "emp.job.id": 1 });\n',
    });
    expect(await checkProject(dir)).toMatchObject({ status: "passed", filesChecked: 1, findings: [] });
  });

  it("reads .tsx, .mts, .cts and .cjs files", async () => {
    const dir = await tempProject({ "a.tsx": bad, "b.mts": bad, "c.cts": bad, "d.cjs": bad });
    const report = await checkProject(dir);
    expect([...new Set(report.findings.map((f) => f.file))]).toEqual(["a.tsx", "b.mts", "c.cts", "d.cjs"]);
  });

  it("runs only the rules asked for", async () => {
    const dir = await tempProject({ "a.ts": bad });
    const report = await checkProject(dir, { rules: ["secret-in-log"] });
    expect(report.findings.map((f) => f.rule)).toEqual(["secret-in-log"]);
  });

  it("rejects unknown options and rule ids, naming them", async () => {
    await expect(checkProject(fixture, { rule: [] } as never)).rejects.toThrow("`rule`");
    await expect(checkProject(fixture, { rules: ["no-such-rule" as never] })).rejects.toThrow("`no-such-rule`");
  });

  it("rejects when the directory cannot be read", async () => {
    await expect(checkProject(join(fixture, "does-not-exist"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
