// `emp-telemetry validate`: NDJSON lines (our file sink's Fluentd records, or protobuf JSON) against the contract.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { toJsonString } from "@bufbuild/protobuf";
import { afterAll, describe, expect, it } from "vitest";
import { CONTRACT_VERSION, StandardLogEntrySchema } from "../../generated/index.js";
import { cliExitCodes } from "../../runtime/cli/cli-command.js";
import { validateCommand, type ValidateReport } from "../../runtime/cli/commands/validate.js";
import { guessRecordFormat, ndjsonRules, validateNdjsonLine } from "../../runtime/cli/validate-records.js";
import { runCommandInProcess } from "../helpers/cli-io.js";
import { sampleLogEntry, writeFileSinkLines } from "../helpers/contract-ndjson.js";
import { tempDir } from "../helpers/daemons.js";

const temp = tempDir("emp-cli-validate-");
afterAll(() => temp.remove());

const run = (argv: readonly string[]): ReturnType<typeof runCommandInProcess> => runCommandInProcess(argv, {}, validateCommand);

function file(name: string, lines: readonly string[]): string {
  const p = path.join(temp.dir, name);
  writeFileSync(p, lines.map((l) => `${l}\n`).join(""));
  return p;
}

const validFluent = JSON.stringify({
  timestamp: "2023-11-14T22:13:20.123456789Z",
  level: "info",
  message: "ok",
  "service.name": "api-server",
  "emp.service.type": "api",
  "deployment.environment.name": "test",
  "emp.contract.version": CONTRACT_VERSION,
});

describe("emp-telemetry validate", () => {
  it("passes a file written by our file sink, exit 0", async () => {
    const p = path.join(temp.dir, "sink.ndjson");
    await writeFileSinkLines(p, [
      sampleLogEntry("Server started"),
      sampleLogEntry("failed", { level: 4, error: { type: "Error", message: "boom", stack: "Error: boom" } }),
    ]);
    const r = await run([p]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("✓ 2 records valid in 1 file\n");
    expect(r.code).toBe(cliExitCodes.ok);
  });

  it("reports each violation of a Fluentd record with its line number and record key, exit 1", async () => {
    const bad = JSON.stringify({
      timestamp: "2023-11-14T22:13:20Z",
      level: "loud",
      message: "",
      "service.name": "api-server",
      "emp.service.type": "api",
      "deployment.environment.name": "test",
      "emp.contract.version": CONTRACT_VERSION,
    });
    const p = file("bad.ndjson", [validFluent, "", bad]);
    const r = await run([p]);
    expect(r.code).toBe(cliExitCodes.failed);
    expect(r.stdout).toContain(`${p}:3: \`level\` is not one of the contract's values [enum.defined_only]`);
    expect(r.stdout).toContain(`${p}:3: \`message\` is empty [string.min_len]`);
    expect(r.stdout).not.toContain("value must");
    expect(r.stdout).not.toContain(`${p}:1:`);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("✗ 1 of 2 records violate the contract (2 violations) in 1 file");
  });

  it("names a missing service and a missing contract version under their record keys", async () => {
    const p = file("missing.ndjson", [JSON.stringify({ timestamp: "2023-11-14T22:13:20Z", level: "info", message: "no service" })]);
    const r = await run([p, "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ValidateReport;
    const violations = report.files[0]!.violations;
    expect(violations.map((v) => [v.line, v.rule, v.key])).toEqual(
      expect.arrayContaining([
        [1, "required", "service.name"],
        [1, "string.pattern", "emp.contract.version"],
      ]),
    );
  });

  it("reports a value of the wrong type and an unparsable time from the reverse mapping", async () => {
    const record = JSON.parse(validFluent) as Record<string, unknown>;
    const p = file("types.ndjson", [JSON.stringify({ ...record, "service.name": 42, timestamp: "yesterday" })]);
    const r = await run(["--json", p]);
    const rules = (JSON.parse(r.stdout) as ValidateReport).files[0]!.violations.map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(["emp.mapping.type", "emp.mapping.time"]));
  });

  it("keeps unknown keys as data, not violations (newer minor versions)", async () => {
    const record = JSON.parse(validFluent) as Record<string, unknown>;
    const r = await run([file("extra.ndjson", [JSON.stringify({ ...record, "emp.future.field": "x", tag: "app.api" })])]);
    expect(r.code).toBe(0);
  });

  it("reads protobuf-JSON StandardLogEntry lines", async () => {
    const valid = toJsonString(StandardLogEntrySchema, sampleLogEntry("as proto json"));
    const invalid = toJsonString(StandardLogEntrySchema, sampleLogEntry("x", { service: { name: "", type: 1, environment: "test" } }));
    const typed = JSON.stringify({ timeUnixNano: "not a number", service: {} });
    const r = await run(["--json", file("proto.ndjson", [valid, invalid, typed, JSON.stringify({ ...(JSON.parse(valid) as object), futureField: 1 })])]);
    expect(r.code).toBe(1);
    const v = (JSON.parse(r.stdout) as ValidateReport).files[0]!.violations;
    expect(v.map((x) => [x.line, x.format, x.rule])).toEqual([
      [2, "proto-json", "string.min_len"],
      [3, "proto-json", ndjsonRules.protoJson],
    ]);
    expect(v[0]!.path).toBe("service.name");
  });

  it("reports lines that are not JSON objects", async () => {
    const r = await run(["--json", file("junk.ndjson", ["{not json", "[1,2]", "null"])]);
    const v = (JSON.parse(r.stdout) as ValidateReport).files[0]!.violations;
    expect(v.map((x) => [x.line, x.rule])).toEqual([
      [1, ndjsonRules.syntax],
      [2, ndjsonRules.record],
      [3, ndjsonRules.record],
    ]);
  });

  it("prints a JSON report with counts per file and in total", async () => {
    const a = file("a.ndjson", [validFluent, validFluent]);
    const b = file("b.ndjson", ["{"]);
    const r = await run(["--json", a, b]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: "failed",
      records: 3,
      invalidRecords: 1,
      violationCount: 1,
      files: [
        { file: a, records: 2, invalidRecords: 0 },
        { file: b, records: 1, invalidRecords: 1 },
      ],
    });
  });

  it("forces a format with --format", async () => {
    const r = await run(["--format", "proto-json", "--json", file("forced.ndjson", [validFluent])]);
    expect((JSON.parse(r.stdout) as ValidateReport).files[0]!.violations[0]!.format).toBe("proto-json");
  });

  it("tolerates CRLF line ends", async () => {
    const p = path.join(temp.dir, "crlf.ndjson");
    writeFileSync(p, `${validFluent}\r\n${validFluent}\r\n`);
    expect((await run([p])).code).toBe(0);
  });

  it("exits 2 for a file that cannot be read, still checking the others", async () => {
    const ok = file("ok.ndjson", [validFluent]);
    const r = await run([path.join(temp.dir, "nope.ndjson"), ok]);
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stderr).toContain("cannot read");
    expect(r.stdout).toContain("1 record valid in 2 files");
  });

  it("exits 2 without files or with a bad --format", async () => {
    expect((await run([])).code).toBe(cliExitCodes.usage);
    expect((await run(["--format", "xml", "a.ndjson"])).code).toBe(cliExitCodes.usage);
  });
});

describe("guessRecordFormat", () => {
  it("tells Fluentd records from protobuf JSON by their keys", () => {
    expect(guessRecordFormat({ "service.name": "a", message: "m" })).toBe("fluent");
    expect(guessRecordFormat({ message: "m", level: "info" })).toBe("fluent");
    expect(guessRecordFormat({ timeUnixNano: "1", message: "m" })).toBe("proto-json");
    expect(guessRecordFormat({ service: { name: "a" }, message: "m" })).toBe("proto-json");
    expect(guessRecordFormat({ service: { name: "a" }, timestamp: "2023-11-14T22:13:20Z" })).toBe("fluent");
  });

  it("never throws on any line", () => {
    for (const line of ["", "{}", '{"level":{}}', '{"timeUnixNano":{}}', '"x"', "1e999", '{"__proto__":{"a":1}}']) {
      expect(() => validateNdjsonLine(line, 1, "auto")).not.toThrow();
    }
  });
});
