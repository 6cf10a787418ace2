import type { CheckReport } from "./check-report.js";

/** Output formats of `formatCheckReport`. */
export type CheckReportFormat = "text" | "json";

/**
 * Renders a report. `text`: one line per finding, `file:line:column  severity  rule  message`,
 * then an indented `→ suggestion` line, then a summary line; a clean report is one summary line.
 * `json`: the report as pretty-printed JSON (`JSON.stringify`, so every string is escaped), stable
 * field order. Both end with a newline. Never throws.
 */
export function formatCheckReport(report: CheckReport, format: CheckReportFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.rule}  ${f.message}`);
    lines.push(`    → ${f.suggestion}`);
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const mark = report.status === "failed" ? "✗" : "✓";
  lines.push(`${mark} ${plural(report.errorCount, "error")}, ${plural(report.warningCount, "warning")} in ${plural(report.filesChecked, "file")}`);
  return `${lines.join("\n")}\n`;
}
