import { open } from "node:fs/promises";
import { cliExitCodes, errorText, parseCommandArgs, usageError, type CliCommand } from "../cli-command.js";
import { readableViolation } from "../../collector/readable-violation.js";
import { validateNdjsonLine, type LineViolation, type RecordFormat } from "../validate-records.js";

const usage = `usage: emp-telemetry validate [--json] [--format auto|fluent|proto-json|collector] <file.ndjson>...

Checks every line of NDJSON files against the contract (emp.telemetry.v1): each line is a Fluentd
record as our file sink writes it (keys service.name, timestamp, level, …), mapped back to
StandardLogEntry with the contract's mapping options; a protobuf-JSON StandardLogEntry
(timeUnixNano, service: {…}); or a record the local collector stored (emp-telemetry dev --data-dir:
logs.ndjson and spans.ndjson), checked as the collector checks it live. Then the generated
validator runs. Blank lines are skipped. Prints each violation with its file and line number in
words (the validator's rule id in brackets), then a summary.

options:
  --json                  the report as JSON (with the validator's own rule ids and texts)
  --format FORMAT         auto (default: per line), fluent, proto-json or collector
  -h, --help              this help

exit: 0 every record valid, 1 violations, 2 bad arguments or a file that cannot be read
`;

/** One file's part of the report. */
export interface ValidateFileReport {
  readonly file: string;
  /** Non-blank lines read. */
  readonly records: number;
  /** Lines with at least one violation. */
  readonly invalidRecords: number;
  readonly violations: readonly LineViolation[];
  /** Why the file could not be read (then exit 2); absent when it was read to the end. */
  readonly error?: string;
}

/** The report of `validate`, as `--json` prints it. */
export interface ValidateReport {
  readonly status: "passed" | "failed" | "error";
  readonly records: number;
  readonly invalidRecords: number;
  readonly violationCount: number;
  readonly files: readonly ValidateFileReport[];
}

/** Reads `file` line by line (streaming) and validates each non-blank line. Never throws. */
async function validateFile(file: string, format: RecordFormat | "auto"): Promise<ValidateFileReport> {
  let records = 0;
  let invalidRecords = 0;
  const violations: LineViolation[] = [];
  let lineNumber = 0;
  try {
    const handle = await open(file, "r");
    try {
      for await (const raw of handle.readLines({ encoding: "utf8" })) {
        lineNumber++;
        const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (text.trim() === "") continue;
        records++;
        const result = validateNdjsonLine(text, lineNumber, format);
        if (result.violations.length > 0) {
          invalidRecords++;
          violations.push(...result.violations);
        }
      }
    } finally {
      await handle.close();
    }
  } catch (error: unknown) {
    return { file, records, invalidRecords, violations, error: errorText(error) };
  }
  return { file, records, invalidRecords, violations };
}

function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** The text report: one line per violation (`file:line: <what is wrong, in words> [rule]`), then a summary line. Pure. */
export function formatValidateReport(report: ValidateReport): string {
  const lines: string[] = [];
  for (const f of report.files) {
    for (const v of f.violations) {
      const path = v.key !== undefined && v.key !== v.path ? ` (contract ${v.path})` : "";
      lines.push(`${f.file}:${String(v.line)}: ${readableViolation(v)}${path} [${v.rule}]`);
    }
  }
  const mark = report.status === "passed" ? "✓" : "✗";
  const files = plural(report.files.length, "file");
  lines.push(
    report.invalidRecords === 0
      ? `${mark} ${plural(report.records, "record")} valid in ${files}${report.status === "error" ? " (some files could not be read)" : ""}`
      : `${mark} ${String(report.invalidRecords)} of ${plural(report.records, "record")} violate the contract ` +
          `(${plural(report.violationCount, "violation")}) in ${files}`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * `emp-telemetry validate`: validates NDJSON files (see the usage). Exit 0 every record valid, 1
 * violations, 2 bad arguments or an unreadable file (the others are still checked and reported).
 */
export const validateCommand: CliCommand = async (argv, io) => {
  const parsed = await parseCommandArgs("validate", argv, { json: { type: "boolean" }, format: { type: "string" } }, usage, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const format = values.format ?? "auto";
  if (format !== "auto" && format !== "fluent" && format !== "proto-json" && format !== "collector")
    return usageError(io, "validate", `--format must be auto, fluent, proto-json or collector, got ${JSON.stringify(format)}`, usage);
  if (positionals.length === 0) return usageError(io, "validate", "missing <file.ndjson>", usage);

  const files: ValidateFileReport[] = [];
  for (const file of positionals) files.push(await validateFile(file, format));
  const records = files.reduce((n, f) => n + f.records, 0);
  const invalidRecords = files.reduce((n, f) => n + f.invalidRecords, 0);
  const violationCount = files.reduce((n, f) => n + f.violations.length, 0);
  const status = files.some((f) => f.error !== undefined) ? "error" : invalidRecords > 0 ? "failed" : "passed";
  const report: ValidateReport = { status, records, invalidRecords, violationCount, files };
  io.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatValidateReport(report));
  for (const f of files) if (f.error !== undefined) io.stderr.write(`emp-telemetry validate: cannot read ${f.file}: ${f.error}\n`);
  return status === "error" ? cliExitCodes.usage : status === "failed" ? cliExitCodes.failed : cliExitCodes.ok;
};
