/**
 * @emp/telemetry: one telemetry contract and one client for every EMP service.
 *
 * The root export is what a service needs at start: the client, its configuration, errors, and the
 * reliability and record-safety building blocks. Everything else loads only when imported, through
 * its own entry point (see the `exports` map): `@emp/telemetry/contract` (types, builders, validators,
 * mappers), `/transports`, `/encoding`, `/tracing`, `/bridges`, `/fluent-bit`, `/collector`,
 * `/diagnostics`, `/health-service`, `/check`, `/contract-test`.
 */
export * from "./client/index.js";
export * from "./errors/index.js";
export * from "./config/index.js";
export * from "./records/index.js";
export * from "./reliability/index.js";
