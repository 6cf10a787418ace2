export { createHealthServiceHandler } from "./health-service-handler.js";
export type { NodeHandler } from "./health-service-handler.js";
export { createHealthServiceImpl, healthResponse, sinkHealthReport } from "./health-service-impl.js";
export type { HealthSource } from "./health-source.js";
export { startHealthServer } from "./health-server.js";
export type { HealthServer, HealthServerOptions } from "./health-server.js";
