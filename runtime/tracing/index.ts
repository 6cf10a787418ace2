export { hrTimeToNanos, nowUnixNanos } from "./clock.js";
export { ContractSpanProcessor } from "./contract-span-processor.js";
export { spanToContract } from "./span-to-contract.js";
export { createTracing, ensureGlobalContext } from "./tracing-setup.js";
export type { Tracing } from "./tracing-setup.js";
