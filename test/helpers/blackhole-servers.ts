/**
 * Local stand-ins for hosts that drop packets, for deadline tests on 127.0.0.1 only:
 * - {@link startSilentServer}: accepts TCP connections, reads everything and never answers (a
 *   blackhole after connect: no HELO, no ack, no HTTP response);
 * - {@link startUnacceptingListener}: a listener whose accept queue is full, so a new connection's SYN
 *   is dropped by the kernel and `connect()` hangs (a blackhole at connect). It listens with backlog 1
 *   in a worker thread blocked in `Atomics.wait`, so nothing ever accepts; the queue is filled first.
 */
import { once } from "node:events";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { Worker } from "node:worker_threads";

export interface SilentServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Bytes received so far. */
  readonly bytes: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 that accepts and never writes a byte. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytes = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("data", (chunk: Buffer) => void (bytes += chunk.byteLength));
    socket.on("error", () => undefined); // the client destroys its side at its deadline
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    get bytes() {
      return bytes;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface UnacceptingListener {
  readonly port: number;
  close(): Promise<void>;
}

const workerSource = `
const { workerData, parentPort } = require("node:worker_threads");
const net = require("node:net");
const server = net.createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  // Block this thread's event loop: libuv never calls accept(), the kernel queue stays full.
  setImmediate(() => Atomics.wait(workerData, 0, 0));
});
`;

/**
 * Starts a listener on 127.0.0.1 that never accepts and fills its accept queue, so that further
 * connections hang in SYN_SENT until the client gives up. Throws if the queue cannot be filled.
 */
export async function startUnacceptingListener(): Promise<UnacceptingListener> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(workerSource, { eval: true, workerData: gate });
  const [port] = (await once(worker, "message")) as [number];
  const fillers: Socket[] = [];
  let full = false;
  // With backlog 1 the kernel queues two connections; each one that completes joins the queue.
  for (let attempt = 0; attempt < 8 && !full; attempt++) {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.on("error", () => undefined);
    const connected = await Promise.race([once(socket, "connect").then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 150))]);
    if (connected) fillers.push(socket);
    else {
      socket.destroy();
      full = true;
    }
  }
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await worker.terminate();
  };
  if (!full) {
    await close();
    throw new Error("could not fill the accept queue of the unaccepting listener");
  }
  return { port, close };
}
