import type { AddressInfo, Server as NetServer, Socket } from "node:net";
import { TelemetryError } from "../errors/telemetry-error.js";

/** A server the collector runs: what it listens on and how to stop it with every connection gone. */
export interface RunningServer {
  readonly port: number;
  /** Stops listening and destroys every open connection. Never rejects. */
  close(): Promise<void>;
}

/**
 * Starts `server` on `host:port` (0 = any free port) and tracks its connections so `close()` can
 * destroy them (keep-alive HTTP, HTTP/2 sessions and forward connections would otherwise hold the
 * process open).
 * @throws TelemetryError `unavailable` when the port cannot be bound (in use, not permitted).
 */
export async function listen(server: NetServer, host: string, port: number, label: string, extraClose?: () => void): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void =>
      reject(new TelemetryError(`collector ${label} input cannot listen on ${host}:${port}: ${e.message}`, "unavailable", { cause: e }));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  // After startup a server error (rare: EMFILE) must not crash the process.
  server.on("error", () => {});
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      extraClose?.();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
