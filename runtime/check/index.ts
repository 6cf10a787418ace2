/**
 * Static usage check of the telemetry client (ts-morph, imported lazily on the first check):
 * span/event names, alias keys, secrets in logs and floating span promises.
 */
export { checkProject, checkSources, checkProjectDefaults, resolveCheckProjectOptions } from "./check-project.js";
export type { CheckProjectOptions } from "./check-project.js";
export { checkRuleIds, createCheckReport } from "./check-report.js";
export type { CheckFinding, CheckReport, CheckRuleId, CheckSeverity } from "./check-report.js";
export { formatCheckReport } from "./format-check-report.js";
export type { CheckReportFormat } from "./format-check-report.js";
export { checkExitCodes, runCheckCommand } from "./check-command.js";
export type { CheckCommandIo } from "./check-command.js";
export { buildAliasTable, contractAliasTable, contractKeys } from "./alias-table.js";
export type { AliasTable } from "./alias-table.js";
export { eventNamePattern, reservedNames } from "./rules/unknown-event-name.js";
export type { ReservedNames } from "./rules/unknown-event-name.js";
export { isSecretName } from "./rules/secret-in-log.js";
