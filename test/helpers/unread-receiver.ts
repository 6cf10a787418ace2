/**
 * A TCP receiver that accepts connections and never reads them (each socket paused at once), so the
 * sender's data piles up in the kernel buffers and then in its own socket. Node cannot shrink
 * SO_RCVBUF on a server socket, so how soon the buffers fill depends on the kernel's autotuning;
 * either way nothing is read and nothing is ever acknowledged.
 */
import { once } from "node:events";
import { createServer, type AddressInfo, type Socket } from "node:net";

export interface UnreadReceiver {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Bytes read from every connection (stays 0). */
  readonly bytesRead: number;
  close(): Promise<void>;
}

export async function startUnreadReceiver(): Promise<UnreadReceiver> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    get bytesRead() {
      let total = 0;
      for (const socket of sockets) total += socket.bytesRead;
      return total;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
