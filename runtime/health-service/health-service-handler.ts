import type { connectNodeAdapter as ConnectNodeAdapter } from "@connectrpc/connect-node";
import { TelemetryHealthService } from "../../generated/index.js";
import { loadConnectNode } from "../optional-dependencies.js";
import { createHealthServiceImpl } from "./health-service-impl.js";
import type { HealthSource } from "./health-source.js";

// connect-node is an optional peer dependency: importing the health service without it rejects
// with MissingDependencyError (code `dependency_missing`) naming the `npm i` command.
const { connectNodeAdapter } = await loadConnectNode();

/** A request handler for `node:http`, `node:https` or `node:http2` servers. */
export type NodeHandler = ReturnType<typeof ConnectNodeAdapter>;

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
