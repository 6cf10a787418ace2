import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { TelemetryHealthService } from "../../generated/index.js";
import { loadConnectNode } from "../package/optional-dependencies.js";
import { createHealthServiceImpl } from "./health-service-impl.js";
import type { HealthSource } from "./health-source.js";

// connect-node is an optional peer dependency: importing the health service without it rejects
// with MissingDependencyError (code `dependency_missing`) naming the `npm i` command.
const { connectNodeAdapter } = await loadConnectNode();

/**
 * A request handler for `node:http`, `node:https` or `node:http2` servers: connect-node's
 * `NodeHandlerFn`, spelt out so that declarations using it need no ConnectRPC types (an optional peer).
 */
export type NodeHandler = (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse) => void;

/**
 * The TelemetryHealthService as one request handler speaking Connect, gRPC and gRPC-web (gRPC needs
 * an HTTP/2 server). Mount it on a service's own server: it answers `/emp.telemetry.v1.TelemetryHealthService/*`
 * and, with `fallback`, hands every other request on.
 */
export function createHealthServiceHandler(source: HealthSource, fallback?: NodeHandler): NodeHandler {
  return connectNodeAdapter({
    routes: (router) => router.service(TelemetryHealthService, createHealthServiceImpl(source)),
    // connect-node hands the fallback Node's own request and response; its type only narrows `write`.
    ...(fallback === undefined ? {} : { fallback: fallback as NonNullable<ConnectNodeAdapterOptions["fallback"]> }),
  });
}
