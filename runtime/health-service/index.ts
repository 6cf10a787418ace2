/**
 * `@emp/telemetry/health-service`: the contract's `TelemetryHealthService` (GetHealth, RunCheck) over
 * ConnectRPC, served from a client's `health()` and `test` APIs, either mounted on the service's own
 * HTTP server (`createHealthServiceHandler`) or on a port of its own (`startHealthServer`). Needs the
 * optional peers `@connectrpc/connect` and `@connectrpc/connect-node`.
 */
export { createHealthServiceHandler } from "./health-service-handler.js";
export type { NodeHandler } from "./health-service-handler.js";
export type { HealthSnapshot, HealthSource } from "./health-source.js";
export { startHealthServer } from "./health-server.js";
export type { HealthServer, HealthServerOptions } from "./health-server.js";
