/**
 * Issue 13 item 6: the collector's forward input against idle connections, too many connections,
 * incomplete messages that never end, and a large message trickled in small chunks (reassembly
 * must be linear, not `Buffer.concat` and a re-parse per chunk).
 */
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { decodeMultiStream, encode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import type { Collector } from "../../runtime/collector/collector.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startTestCollector } from "../helpers/collector-harness.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

async function open(collector: Collector): Promise<Socket> {
  const socket = connect(collector.ports.forward, "127.0.0.1");
  socket.on("error", () => undefined);
  cleanups.push(async () => socket.destroy());
  await once(socket, "connect");
  return socket;
}

function closed(socket: Socket): Promise<unknown> {
  return socket.closed || socket.destroyed ? Promise.resolve() : once(socket, "close");
}

/** Writes `message` and resolves with the first reply (an ack), rejecting after `timeoutMs`. */
async function sendWithAck(socket: Socket, message: Uint8Array, chunkBytes = message.length, timeoutMs = 5000): Promise<unknown> {
  const replies = decodeMultiStream(socket)[Symbol.asyncIterator]();
  for (let i = 0; i < message.length; i += chunkBytes) {
    if (!socket.write(message.subarray(i, i + chunkBytes))) await once(socket, "drain");
  }
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no ack in time")), timeoutMs).unref());
  const reply = await Promise.race([replies.next(), timeout]);
  return reply.value;
}

const small = (chunk: string): Uint8Array => encode(["app.limits", [[1_700_000_000, { message: "hi" }]], { chunk }]);

describe("the forward input's connection limits", () => {
  it("closes a connection idle for forwardIdleTimeoutMs, counted", async () => {
    const collector = await startTestCollector(cleanups, { forwardIdleTimeoutMs: 200 });
    const socket = await open(collector);
    const t0 = Date.now();
    await closed(socket);
    expect(Date.now() - t0).toBeLessThan(3000);
    await until(() => collector.status().forwardConnections.open === 0, 3000);
    expect(collector.status().forwardConnections).toMatchObject({ open: 0, idleClosed: 1 });
  });

  it("closes connections beyond forwardMaxConnections at once, counted, and serves new ones once others left", async () => {
    const collector = await startTestCollector(cleanups, { forwardMaxConnections: 3 });
    const sockets = await Promise.all([1, 2, 3, 4, 5].map(() => open(collector)));
    await until(() => collector.status().forwardConnections.refused === 2 && sockets.filter((s) => s.closed).length === 2, 3000);
    expect(collector.status().forwardConnections.open).toBe(3);
    for (const s of sockets) s.destroy();
    await until(() => collector.status().forwardConnections.open === 0, 3000);
    const fresh = await open(collector);
    expect(await sendWithAck(fresh, small("c-fresh"))).toEqual({ ack: "c-fresh" });
  });

  it("drops a connection whose incomplete message exceeds maxBodyBytes, and one over the global forwardMaxPendingBytes", async () => {
    const collector = await startTestCollector(cleanups, { maxBodyBytes: 64 * 1024, forwardMaxPendingBytes: 100_000 });
    // A bin32 header announcing 1 MB, then 70 KB of it: never complete, over the 64 KiB message budget.
    const header = Buffer.from([0x93, 0xa1, 0x74, 0xc6, 0x00, 0x10, 0x00, 0x00]);
    const alone = await open(collector);
    alone.write(Buffer.concat([header, Buffer.alloc(70 * 1024)]));
    await closed(alone);
    // Two connections of 60 KB each: within each one's budget, over the global 100 000 bytes together.
    const a = await open(collector);
    a.write(Buffer.concat([header, Buffer.alloc(60 * 1024)]));
    await until(() => collector.status().forwardConnections.pendingBytes > 60 * 1024, 3000);
    const b = await open(collector);
    b.write(Buffer.concat([header, Buffer.alloc(60 * 1024)]));
    await closed(b);
    expect(a.destroyed).toBe(false);
    expect(collector.status().forwardConnections).toMatchObject({ overBudget: 2 });
    a.destroy();
    await until(() => collector.status().forwardConnections.pendingBytes === 0 && collector.status().forwardConnections.open === 0, 3000);
    expect(collector.status().hops.forward.errors).toBe(2);
  });

  it("reassembles a 24 MB Forward-mode message sent in 16 KiB writes in linear time", async () => {
    const collector = await startTestCollector(cleanups, { maxBodyBytes: 64 * 1024 * 1024, forwardIdleTimeoutMs: 30_000 });
    const text = "x".repeat(3000);
    const entries = Array.from({ length: 8000 }, (_, i) => [1_700_000_000, { message: text, n: i }]);
    const message = encode(["app.big", entries, { chunk: "c-big" }]);
    expect(message.length).toBeGreaterThan(24_000_000);
    const socket = await open(collector);
    const t0 = performance.now();
    expect(await sendWithAck(socket, message, 16 * 1024, 20_000)).toEqual({ ack: "c-big" });
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(collector.status().hops.forward.records).toBe(8000);
  }, 30_000);
});
