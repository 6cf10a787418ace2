/**
 * @emp/telemetry: one telemetry contract and one client for every EMP service.
 * The contract itself (types, builders, validators, mappers) is `@emp/telemetry/contract`.
 */
export * from "./client/index.js";
export * from "./errors/index.js";
export * from "./config/index.js";
export * from "./records/index.js";
export * from "./encoding/index.js";
export * from "./transports/index.js";
export * from "./reliability/index.js";
export * from "./tracing/index.js";
export * from "./bridges/index.js";
export * from "./fluent-bit/index.js";
export * from "./health-service/index.js";
export * from "./check/index.js";
export * from "./collector/index.js";
export * from "./contract-test/index.js";
export * from "./diagnostics/index.js";
