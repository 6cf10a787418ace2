import { connectNodeAdapter } from "@connectrpc/connect-node";
import { TelemetryHealthService } from "../../generated/index.js";
import { createHealthServiceImpl } from "./health-service-impl.js";
import type { HealthSource } from "./health-source.js";

/** A request handler for `node:http`, `node:https` or `node:http2` servers. */
export type NodeHandler = ReturnType<typeof connectNodeAdapter>;

/**
 * The TelemetryHealthService as one request handler speaking Connect, gRPC and gRPC-web (gRPC needs
 * an HTTP/2 server). Mount it on a service's own server: it answers `/emp.telemetry.v1.TelemetryHealthService/*`
 * and, with `fallback`, hands every other request on.
 */
export function createHealthServiceHandler(source: HealthSource, fallback?: NodeHandler): NodeHandler {
  return connectNodeAdapter({
    routes: (router) => router.service(TelemetryHealthService, createHealthServiceImpl(source)),
    ...(fallback === undefined ? {} : { fallback }),
  });
}
