/**
 * `@emp/telemetry/contract-test`: run a service against the local collector and check every record
 * it sends against the contract (as `emp-telemetry contract-test` does), or check records already
 * collected.
 */
export { checkRecords, formatContractTestReport, runContractTest } from "./contract-test.js";
export { groupFindings } from "./contract-findings.js";
export type { ContractFinding, ContractTestOptions, ContractTestReport, FindingGroup, ServiceSummary } from "./contract-test.js";
