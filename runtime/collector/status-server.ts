import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isAllowedHost } from "./host-check.js";
import { sendJson } from "./http-body.js";
import { listen, type RunningServer } from "./listening.js";
import { livePageHtml } from "./live-page.js";
import type { ProbeReport } from "./probe-registry.js";
import type { TraceView } from "./trace-index.js";

/** What the status server reads from the collector. */
export interface StatusSource {
  status(): unknown;
  probe(id: string): ProbeReport;
  trace(traceId: string): TraceView | undefined;
}

/** Options of {@link startStatusServer}. */
export interface StatusServerOptions {
  readonly host: string;
  readonly port: number;
}

const probePath = /^\/api\/probes\/([^/]+)$/;
const tracePath = /^\/api\/traces\/([0-9a-f]{32})$/;

function route(req: IncomingMessage, res: ServerResponse, source: StatusSource, listenHost: string): void {
  if (!isAllowedHost(req.headers.host, listenHost)) {
    sendJson(res, 403, { error: "the status API answers only requests to 127.0.0.1, localhost or [::1] (Host header)" });
    return;
  }
  const path = new URL(req.url ?? "/", "http://collector").pathname;
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendJson(res, 405, { error: "use GET" }, { allow: "GET" });
    return;
  }
  if (path === "/api/status") {
    sendJson(res, 200, source.status(), { "cache-control": "no-store" });
    return;
  }
  const probe = probePath.exec(path);
  if (probe !== null) {
    let id: string;
    try {
      id = decodeURIComponent(probe[1]!);
    } catch {
      sendJson(res, 400, { error: "probe id is not URL-encoded text" });
      return;
    }
    sendJson(res, 200, source.probe(id), { "cache-control": "no-store" });
    return;
  }
  const trace = tracePath.exec(path);
  if (trace !== null) {
    const view = source.trace(trace[1]!);
    if (view === undefined) sendJson(res, 404, { error: `trace ${trace[1]!} is not (or no longer) kept` }, { "cache-control": "no-store" });
    else sendJson(res, 200, view, { "cache-control": "no-store" });
    return;
  }
  if (path === "/" || path === "/index.html") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(livePageHtml), "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : livePageHtml);
    return;
  }
  sendJson(res, 404, { error: `nothing at ${path.slice(0, 200)}`, see: ["/", "/api/status", "/api/probes/<id>", "/api/traces/<trace id>"] });
}

/**
 * Starts the status server: `GET /api/status` (the collector's status as JSON), `GET
 * /api/probes/<id>` (where a probe has been seen; `seen` is `{}` until it arrives, so callers can
 * poll), `GET /api/traces/<trace id>` (one trace's spans nested by parent, with their logs; 404
 * once forgotten) and `GET /` (the live page). Answers 403 to a request whose `Host` is not a loopback name or
 * the listening host (DNS rebinding, see {@link isAllowedHost}). Never throws per request; rejects
 * only when the port cannot be bound.
 */
export function startStatusServer(options: StatusServerOptions, source: StatusSource): Promise<RunningServer> {
  const server = createServer((req, res) => {
    try {
      route(req, res, source, options.host);
    } catch (e: unknown) {
      sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
    }
  });
  return listen(server, options.host, options.port, "status");
}
