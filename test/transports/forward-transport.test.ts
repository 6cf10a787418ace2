import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import type { ForwardTransportOptions } from "../../runtime/transports/forward/forward-transport-options.js";
import type { SendResult, Transport } from "../../runtime/transports/transport.js";
import { makeBatch, numberedRecords } from "../helpers/batches.js";
import { eventTimeOf, startForwardReceiver, type ForwardReceiver, type ForwardReceiverOptions } from "../helpers/forward-receiver.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const key = "k3y-Sup3r-S3cret-value";
const cleanups = cleanupsAfterEach();

async function receiver(options?: ForwardReceiverOptions): Promise<ForwardReceiver> {
  const r = await startForwardReceiver(options);
  cleanups.push(() => r.close());
  return r;
}

function transport(port: number, options: ForwardTransportOptions = {}): Transport {
  const t = createForwardTransport({ host: "127.0.0.1", port, ...options });
  cleanups.push(() => t.close());
  return t;
}

function errorOf(result: SendResult): { status: string; code: string; message: string } {
  if (result.status === "ok") return { status: "ok", code: "", message: "" };
  return { status: result.status, code: result.error.code, message: result.error.message };
}

const batch = makeBatch("app.test", numberedRecords("r", 3));

describe("createForwardTransport", () => {
  it("sends PackedForward with size in events and a base64 chunk, and resolves ok on the ack", async () => {
    const r = await receiver();
    const result = await transport(r.port).send(batch);
    expect(result).toEqual({ status: "ok" });
    const [frame] = r.frames;
    expect(frame?.mode).toBe("PackedForward");
    expect(frame?.tag).toBe("app.test");
    expect(frame?.options.size).toBe(3);
    expect(Buffer.from(String(frame?.options.chunk), "base64")).toHaveLength(16);
    expect(frame?.entries.map(([, record]) => record.id)).toEqual(["r-0", "r-1", "r-2"]);
    expect(eventTimeOf(frame?.entries[2]?.[0])).toEqual([1700000000, 123456791]);
  });

  it("sends CompressedPackedForward when gzip is on", async () => {
    const r = await receiver();
    expect(await transport(r.port, { gzip: true }).send(batch)).toEqual({ status: "ok" });
    expect(r.frames[0]?.mode).toBe("CompressedPackedForward");
    expect(r.frames[0]?.options).toMatchObject({ compressed: "gzip", size: 3 });
    expect(r.frames[0]?.entries).toHaveLength(3);
  });

  it("sends a batch whose entries lie in several buffers (body, then rest) as one message, plain and gzipped", async () => {
    const whole = makeBatch("app.test", numberedRecords("p", 5));
    // Split the entries' bytes at arbitrary points, inside entries too: the parts are sent in order.
    const b = whole.body;
    const parts = { ...whole, body: b.subarray(0, 7), rest: [b.subarray(7, 60), b.subarray(60, 61), b.subarray(61)] };
    for (const gzip of [false, true]) {
      const r = await receiver();
      expect(await transport(r.port, { gzip }).send(parts)).toEqual({ status: "ok" });
      expect(r.frames[0]?.options.size).toBe(5);
      expect(r.frames[0]?.entries.map(([, record]) => record.id)).toEqual(["p-0", "p-1", "p-2", "p-3", "p-4"]);
    }
  });

  it("pipelines batches on one connection and matches acks that come back in any order", async () => {
    const r = await receiver({ holdAcks: 3 });
    const t = transport(r.port);
    const results = await Promise.all([1, 2, 3].map((n) => t.send(makeBatch(`app.p${n}`, numberedRecords(`p${n}`, n)))));
    expect(results).toEqual([{ status: "ok" }, { status: "ok" }, { status: "ok" }]);
    expect(r.connections).toBe(1);
    expect(r.frames.map((f) => f.options.size)).toEqual([1, 2, 3]);
  });

  it("resolves retryable ack_timeout when no ack comes in time", async () => {
    const r = await receiver({ ack: false });
    const result = await transport(r.port, { ackTimeoutMs: 100 }).send(batch);
    expect(errorOf(result)).toMatchObject({ status: "retryable", code: "ack_timeout" });
  });

  it("resolves retryable unavailable when the connection is refused", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    expect(errorOf(await transport(port).send(batch))).toMatchObject({ status: "retryable", code: "unavailable" });
  });

  it("resolves in-flight sends retryable when the connection drops, then reconnects on the next send", async () => {
    const r = await receiver({ holdAcks: 2 });
    const t = transport(r.port);
    const first = t.send(batch);
    await r.waitForFrames(1);
    r.dropConnections();
    expect(errorOf(await first)).toMatchObject({ status: "retryable", code: "unavailable" });
    expect(await t.send(batch)).toEqual({ status: "ok" });
    expect(r.connections).toBe(2);
  });

  it("resolves retryable shutdown when the signal aborts", async () => {
    const r = await receiver({ ack: false });
    const controller = new AbortController();
    const pending = transport(r.port).send(batch, controller.signal);
    await r.waitForFrames(1);
    controller.abort();
    expect(errorOf(await pending)).toMatchObject({ status: "retryable", code: "shutdown" });
  });

  it("resolves pending sends on close and fails later ones with shutdown", async () => {
    const r = await receiver({ ack: false });
    const t = transport(r.port);
    const pending = t.send(batch);
    await r.waitForFrames(1);
    await t.close();
    expect(errorOf(await pending)).toMatchObject({ status: "retryable", code: "shutdown" });
    expect(errorOf(await t.send(batch))).toMatchObject({ status: "failed", code: "shutdown" });
  });

  it("resolves ok at once for an empty batch", async () => {
    const r = await receiver();
    expect(await transport(r.port).send(makeBatch("app.empty", []))).toEqual({ status: "ok" });
    expect(r.connections).toBe(0);
  });

  describe("shared-key handshake", () => {
    it("authenticates against a Fluentd-style receiver (bin nonce) and sends all PING fields as str", async () => {
      const r = await receiver({ sharedKey: key, style: "fluentd" });
      expect(await transport(r.port, { sharedKey: key, selfHostname: "client-1" }).send(batch)).toEqual({ status: "ok" });
      expect(r.pings[0]?.[0]).toBe("PING");
      expect(r.pings[0]?.[1]).toBe("client-1");
      expect(r.pings[0]?.every((field) => typeof field === "string")).toBe(true);
      expect(r.frames).toHaveLength(1);
    });

    it("authenticates against a Fluent Bit-style receiver (str nonce with raw bytes)", async () => {
      const r = await receiver({ sharedKey: key, style: "fluent-bit" });
      expect(await transport(r.port, { sharedKey: key }).send(batch)).toEqual({ status: "ok" });
      expect(r.frames).toHaveLength(1);
    });

    it("reports a Fluentd-style refusal (PONG false) as failed rejected naming FLUENTD_SHARED_KEY", async () => {
      const r = await receiver({ sharedKey: key, style: "fluentd" });
      const result = errorOf(await transport(r.port, { sharedKey: "wrong" }).send(batch));
      expect(result).toMatchObject({ status: "failed", code: "rejected" });
      expect(result.message).toContain("FLUENTD_SHARED_KEY");
      expect(result.message).toContain("shared_key mismatch");
      expect(r.frames).toHaveLength(0);
    });

    it("reports a Fluent Bit-style refusal (socket closed after PING) as failed rejected", async () => {
      const r = await receiver({ sharedKey: key, style: "fluent-bit" });
      const result = errorOf(await transport(r.port, { sharedKey: "wrong" }).send(batch));
      expect(result).toMatchObject({ status: "failed", code: "rejected" });
      expect(result.message).toContain("FLUENTD_SHARED_KEY");
    });

    it("rejects a receiver whose PONG digest does not prove it knows the key", async () => {
      const r = await receiver({ sharedKey: key, wrongPongDigest: true });
      expect(errorOf(await transport(r.port, { sharedKey: key }).send(batch))).toMatchObject({ status: "failed", code: "rejected" });
      expect(r.frames).toHaveLength(0);
    });

    it("sends username and password digest when the receiver asks for users", async () => {
      const r = await receiver({ sharedKey: key, users: { alice: "pw-1" } });
      expect(await transport(r.port, { sharedKey: key, username: "alice", password: "pw-1" }).send(batch)).toEqual({ status: "ok" });
      expect(r.pings[0]?.[4]).toBe("alice");
    });

    it("reports a wrong password as failed rejected", async () => {
      const r = await receiver({ sharedKey: key, users: { alice: "pw-1" } });
      const result = errorOf(await transport(r.port, { sharedKey: key, username: "alice", password: "nope" }).send(batch));
      expect(result).toMatchObject({ status: "failed", code: "rejected" });
    });

    it("reports a receiver that wants a key we do not have as failed rejected", async () => {
      const r = await receiver({ sharedKey: key });
      const result = errorOf(await transport(r.port).send(batch));
      expect(result).toMatchObject({ status: "failed", code: "rejected" });
      expect(result.message).toContain("FLUENTD_SHARED_KEY");
    });
  });

  describe("a peer that is not a forward receiver", () => {
    async function httpServer(): Promise<number> {
      const server = createHttpServer((_req, res) => res.end("hello"));
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      cleanups.push(async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      });
      return (server.address() as AddressInfo).port;
    }

    it("gives failed protocol when an HTTP server answers garbage", async () => {
      const port = await httpServer();
      expect(errorOf(await transport(port).send(batch))).toMatchObject({ status: "failed", code: "protocol" });
    });

    it("gives failed protocol when no HELO comes while a shared key is set", async () => {
      const port = await httpServer();
      const result = errorOf(await transport(port, { sharedKey: key, connectTimeoutMs: 200 }).send(batch));
      expect(result).toMatchObject({ status: "failed", code: "protocol" });
      expect(result.message).toContain("HELO");
    });
  });

  describe("secrets", () => {
    it("never shows the shared key or password in inspect, JSON or error messages", async () => {
      const r = await receiver({ sharedKey: "another-key" });
      const t = transport(r.port, { sharedKey: key, password: "pw-Secret-9", username: "bob" });
      const result = errorOf(await t.send(batch));
      expect(result.code).toBe("rejected");
      for (const text of [inspect(t, { depth: 10, showHidden: true }), JSON.stringify(t), result.message]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain("pw-Secret-9");
      }
      expect(inspect(t)).toContain("[redacted]");
    });
  });
});
