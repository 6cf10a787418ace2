// Issue 13 item 17: a peer on the forward port that answers garbage, an HTTP reply or a msgpack array
// instead of {ack} may still have the records (a proxy restarting, a load balancer's health page): the
// transport tries again on a new connection, a bounded number of times, before giving up as `protocol`.
import { once } from "node:events";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { makeBatch, numberedRecords } from "../helpers/batches.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startForwardReceiver } from "../helpers/forward-receiver.js";

const cleanups = cleanupsAfterEach();
const batch = makeBatch("app.test", numberedRecords("r", 3));

const answers = {
  "bytes that are not msgpack": Uint8Array.of(0xc1, 0xc1, 0xc1),
  "an HTTP reply": Buffer.from("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
  "a msgpack array": encode([1, "two", 3]),
};

/**
 * A front on 127.0.0.1 whose first `garbled` connections answer `answer` to whatever comes, and
 * whose later ones are piped to `upstream` (a real forward receiver), if any.
 */
async function front(answer: Uint8Array, garbled: number, upstream?: number): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (++connections <= garbled || upstream === undefined) {
      socket.once("data", () => socket.end(answer));
      return;
    }
    const peer = connect({ host: "127.0.0.1", port: upstream });
    peer.on("error", () => socket.destroy());
    socket.pipe(peer).pipe(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

function transport(port: number) {
  const t = createForwardTransport({ host: "127.0.0.1", port, ackTimeoutMs: 2000 });
  cleanups.push(() => t.close());
  return t;
}

describe("a forward peer that answers something other than {ack}", () => {
  for (const [what, answer] of Object.entries(answers)) {
    it(`once (${what}): the batch is sent again on a new connection and acknowledged`, async () => {
      const receiver = await startForwardReceiver();
      cleanups.push(() => receiver.close());
      const f = await front(answer, 1, receiver.port);
      expect(await transport(f.port).send(batch)).toEqual({ status: "ok" });
      expect(receiver.frames).toHaveLength(1);
      expect(f.connections()).toBe(2);
    });

    it(`always (${what}): gives up as failed protocol after a bounded number of connections`, async () => {
      const f = await front(answer, Number.POSITIVE_INFINITY);
      const started = Date.now();
      const result = await transport(f.port).send(batch);
      expect(result.status === "failed" ? result.error.code : result.status).toBe("protocol");
      expect(f.connections()).toBe(3);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  }
});
