export { allowedKeyNamespaces, contractKeySet, keyProblem } from "./contract-keys.js";
export { checkRecords, formatContractTestReport, runContractTest } from "./contract-test.js";
export type { ContractFinding, ContractTestOptions, ContractTestReport, ServiceSummary } from "./contract-test.js";
