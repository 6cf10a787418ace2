/**
 * The collector's forward-protocol input against three independent clients: our forward transport,
 * @fluent-org/logger (every event mode, ack, shared key) and raw @msgpack/msgpack frames.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { FluentClient, EventTime } from "@fluent-org/logger";
import { decodeMultiStream, encode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import type { Collector } from "../../runtime/collector/collector.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector, untilCollector, validLogEntry } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();
const sharedKey = "s3cret-shared-key";

function eventTime(seconds: number, nanos: number): ExtData {
  const data = new Uint8Array(8);
  const view = new DataView(data.buffer);
  view.setUint32(0, seconds);
  view.setUint32(4, nanos);
  return new ExtData(0, data);
}

/** A raw forward connection speaking msgpack through @msgpack/msgpack. */
async function rawConnection(port: number): Promise<{ socket: Socket; next: () => Promise<unknown> }> {
  const socket = connect(port, "127.0.0.1");
  cleanups.push(async () => socket.destroy());
  await once(socket, "connect");
  const iterator = decodeMultiStream(socket)[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => {
    const r = await Promise.race([iterator.next(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no reply in time")), 3000).unref())]);
    return r.done === true ? undefined : r.value;
  };
  return { socket, next };
}

/** A @fluent-org/logger client; with reconnects off it connects only when told to. */
async function fluentClient(
  collector: Collector,
  mode: "Message" | "Forward" | "PackedForward" | "CompressedPackedForward",
  security?: { clientHostname: string; sharedKey: string },
): Promise<FluentClient> {
  const client = new FluentClient("app", {
    eventMode: mode,
    socket: { host: "127.0.0.1", port: collector.ports.forward, disableReconnect: true },
    ack: { ackTimeout: 3000 },
    milliseconds: true,
    ...(security === undefined ? {} : { security }),
  });
  cleanups.push(() => client.shutdown().catch(() => undefined));
  await client.connect();
  return client;
}

describe("the forward input", () => {
  it("takes PackedForward from our forward transport, acks it and finds the client's records valid", async () => {
    const collector = await startTestCollector(cleanups);
    const transport = createForwardTransport({ port: collector.ports.forward, ackTimeoutMs: 3000 });
    cleanups.push(() => transport.close());
    const arrived = nextRecords(collector, 2);
    const result = await transport.send(createFluentLogEncoder("app.api")([validLogEntry("one", { "emp.job.id": "j-1" }), validLogEntry("two")]));
    expect(result.status).toBe("ok");
    const records = await arrived;
    expect(records.map((r) => [r.source, r.tag, r.signal, r.service, r.record.message])).toEqual([
      ["forward", "app.api", "logs", "collector-test", "one"],
      ["forward", "app.api", "logs", "collector-test", "two"],
    ]);
    expect(records.flatMap((r) => r.violations)).toEqual([]);
    expect(collector.status().hops.forward).toMatchObject({ records: 2, batches: 1, errors: 0 });
  });

  it("takes CompressedPackedForward from our transport with gzip", async () => {
    const collector = await startTestCollector(cleanups);
    const transport = createForwardTransport({ port: collector.ports.forward, gzip: true, ackTimeoutMs: 3000 });
    cleanups.push(() => transport.close());
    const arrived = nextRecords(collector, 1);
    expect((await transport.send(createFluentLogEncoder("app.gz")([validLogEntry("zipped")]))).status).toBe("ok");
    expect((await arrived)[0]?.record.message).toBe("zipped");
  });

  it("plays the shared-key handshake with our transport and refuses a wrong key", async () => {
    const collector = await startTestCollector(cleanups, { sharedKey });
    const good = createForwardTransport({ port: collector.ports.forward, sharedKey, selfHostname: "client-a", ackTimeoutMs: 3000 });
    const bad = createForwardTransport({ port: collector.ports.forward, sharedKey: "wrong", selfHostname: "client-b", ackTimeoutMs: 3000 });
    cleanups.push(
      () => good.close(),
      () => bad.close(),
    );
    const arrived = nextRecords(collector, 1);
    expect((await good.send(createFluentLogEncoder("app.key")([validLogEntry("with key")]))).status).toBe("ok");
    expect((await arrived)[0]?.record.message).toBe("with key");
    const refused = await bad.send(createFluentLogEncoder("app.key")([validLogEntry("wrong key")]));
    expect(refused.status).toBe("failed");
    expect(refused.status === "failed" && refused.error.message).toMatch(/shared_key mismatch/);
    expect(collector.status().hops.forward.errors).toBe(1);
    expect(collector.status().counts.total).toBe(1);
  });

  for (const mode of ["Message", "Forward", "PackedForward", "CompressedPackedForward"] as const) {
    it(`takes @fluent-org/logger's ${mode} mode with EventTime and ack`, async () => {
      const collector = await startTestCollector(cleanups);
      const client = await fluentClient(collector, mode);
      const arrived = nextRecords(collector, 2);
      await Promise.all([
        client.emit("mode", { message: `first ${mode}`, n: 1 }, new EventTime(1_700_000_000, 123_456_789)),
        client.emit("mode", { message: `second ${mode}`, n: 2 }),
      ]);
      const records = await arrived;
      expect(records.map((r) => [r.tag, r.record.message, r.record.n])).toEqual([
        ["app.mode", `first ${mode}`, 1],
        ["app.mode", `second ${mode}`, 2],
      ]);
      expect(records[0]?.timeUnixNano).toBe("1700000000123456789");
    });
  }

  it("passes @fluent-org/logger's shared-key handshake", async () => {
    const collector = await startTestCollector(cleanups, { sharedKey });
    const client = await fluentClient(collector, "PackedForward", { clientHostname: "fluent-org-client", sharedKey });
    const arrived = nextRecords(collector, 1);
    await client.emit("secure", { message: "authenticated" });
    expect((await arrived)[0]?.record.message).toBe("authenticated");
  });

  it("decodes raw Message and Forward frames with integer and EventTime times, and acks chunks", async () => {
    const collector = await startTestCollector(cleanups);
    const { socket, next } = await rawConnection(collector.ports.forward);
    const arrived = nextRecords(collector, 3);
    socket.write(encode(["raw.message", 1_700_000_001, { message: "integer time" }]));
    socket.write(
      encode([
        "raw.forward",
        [
          [eventTime(1_700_000_002, 5), { message: "event time" }],
          [1_700_000_003, { message: "int in forward" }],
        ],
        { chunk: "c-1", size: 2 },
      ]),
    );
    expect(await next()).toEqual({ ack: "c-1" });
    const records = await arrived;
    expect(records.map((r) => [r.tag, r.timeUnixNano, r.record.message])).toEqual([
      ["raw.message", "1700000001000000000", "integer time"],
      ["raw.forward", "1700000002000000005", "event time"],
      ["raw.forward", "1700000003000000000", "int in forward"],
    ]);
  });

  it("decodes a raw CompressedPackedForward frame", async () => {
    const collector = await startTestCollector(cleanups);
    const { socket, next } = await rawConnection(collector.ports.forward);
    const entries = Buffer.concat([encode([eventTime(1_700_000_000, 0), { message: "a" }]), encode([eventTime(1_700_000_000, 1), { message: "b" }])]);
    const arrived = nextRecords(collector, 2);
    socket.write(encode(["raw.packed", gzipSync(entries), { compressed: "gzip", size: 2, chunk: "c-2" }]));
    expect(await next()).toEqual({ ack: "c-2" });
    expect((await arrived).map((r) => r.record.message)).toEqual(["a", "b"]);
  });

  it("answers a wrong shared key with PONG false and a reason, as Fluentd does", async () => {
    const collector = await startTestCollector(cleanups, { sharedKey, selfHostname: "collector-x" });
    const { socket, next } = await rawConnection(collector.ports.forward);
    const helo = (await next()) as [string, { nonce: Uint8Array; auth: Uint8Array; keepalive: boolean }];
    expect(helo[0]).toBe("HELO");
    expect(helo[1].nonce).toBeInstanceOf(Uint8Array);
    const digest = (key: string, host: string): string => createHash("sha512").update("salt").update(host).update(helo[1].nonce).update(key).digest("hex");
    socket.write(encode(["PING", "raw-client", "salt", digest("not-the-key", "raw-client"), "", ""]));
    expect(await next()).toEqual(["PONG", false, "shared_key mismatch", "", ""]);
    await once(socket, "close");
    expect(collector.status().hops.forward).toMatchObject({ errors: 1, lastError: expect.stringMatching(/shared key mismatch/) });
  });

  it("answers the right shared key with PONG true and the server digest", async () => {
    const collector = await startTestCollector(cleanups, { sharedKey, selfHostname: "collector-x" });
    const { socket, next } = await rawConnection(collector.ports.forward);
    const helo = (await next()) as [string, { nonce: Uint8Array }];
    const digest = (host: string): string => createHash("sha512").update("salt").update(host).update(helo[1].nonce).update(sharedKey).digest("hex");
    socket.write(encode(["PING", "raw-client", "salt", digest("raw-client"), "", ""]));
    expect(await next()).toEqual(["PONG", true, "", "collector-x", digest("collector-x")]);
  });

  it("closes a connection that does not speak the forward protocol and counts it", async () => {
    const collector = await startTestCollector(cleanups);
    const { socket } = await rawConnection(collector.ports.forward);
    socket.write(encode({ not: "a frame" }));
    await once(socket, "close");
    await untilCollector(collector, () => collector.status().hops.forward.errors === 1);
    expect(collector.status().hops.forward.lastError).toMatch(/not a forward message/);
  });
});
