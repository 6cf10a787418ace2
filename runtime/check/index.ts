/**
 * `@emp/telemetry/check`: a static check of a project's telemetry calls (span and event names, alias
 * keys, secrets in logs, floating span promises), as `emp-telemetry check` runs it. Needs the optional
 * peer `ts-morph`, imported on the first check.
 */
export { checkProject, checkSources, checkProjectDefaults } from "./check-project.js";
export type { CheckProjectOptions } from "./check-project.js";
export { checkRuleIds } from "./check-report.js";
export type { CheckFinding, CheckReport, CheckRuleId, CheckSeverity } from "./check-report.js";
export { formatCheckReport } from "./format-check-report.js";
export type { CheckReportFormat } from "./format-check-report.js";
