import { createServer as createHttp1Server } from "node:http";
import { createServer as createHttp2Server } from "node:http2";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { createHealthServiceHandler } from "./health-service-handler.js";
import type { HealthSource } from "./health-source.js";

/** A standalone health server. */
export interface HealthServer {
  /** The port it listens on. */
  readonly port: number;
  /** `http://<host>:<port>`. */
  readonly url: string;
  /** Stops listening and closes open connections. Never rejects. */
  close(): Promise<void>;
}

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** Address to bind. Default `127.0.0.1`. */
  host?: string;
}

const http2Preface = Buffer.from("PRI * HTTP/2.0");

/**
 * Serves the TelemetryHealthService standalone on one port for every protocol: connections that open
 * with the HTTP/2 preface (gRPC, h2c) go to an HTTP/2 server, the rest (Connect, gRPC-web, plain
 * HTTP/1.1) to an HTTP/1.1 server, both with the same handler.
 */
export async function startHealthServer(source: HealthSource, options: HealthServerOptions = {}): Promise<HealthServer> {
  const handler = createHealthServiceHandler(source);
  const h1 = createHttp1Server(handler);
  const h2 = createHttp2Server(handler);
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("readable", () => {
      const head = socket.read(http2Preface.length) as Buffer | null;
      if (head === null) {
        socket.once("readable", () => socket.destroy());
        return;
      }
      socket.unshift(head);
      (head.equals(http2Preface) ? h2 : h1).emit("connection", socket);
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        h1.close();
        h2.close();
        server.close(() => resolve());
      }),
  };
}
