/**
 * Interop with the real Fluent Bit 4.2.8 (../shared/tools/fluent-bit): our forward transport against
 * its `forward` input with and without `shared_key`; Fluent Bit forwards on (forward output,
 * `require_ack_response`) to our test receiver, which checks the EventTime bytes, so nanoseconds
 * are proven end to end.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import type { Transport } from "../../runtime/transports/transport.js";
import { makeBatch, numberedRecords } from "../helpers/batches.js";
import { freePorts, startDaemon, tempDir, toolsDir, waitForPort, type Daemon } from "../helpers/daemons.js";
import { eventTimeOf, startForwardReceiver, type ForwardReceiver } from "../helpers/forward-receiver.js";
import { selfSignedCertificate } from "../helpers/self-signed.js";

const sharedKey = `interop-key-${process.pid}`;
const run = Date.now().toString(36);
let plainPort = 0;
let keyedPort = 0;
let tlsPort = 0;
let cert = "";
let daemon: Daemon | undefined;
let downstream: ForwardReceiver | undefined;
let temp: ReturnType<typeof tempDir> | undefined;
const transports: Transport[] = [];

function transport(port: number, key?: string, gzip = false, tls?: { ca: string }): Transport {
  const t = createForwardTransport({
    host: "127.0.0.1",
    port,
    sharedKey: key ?? "",
    selfHostname: "interop-client",
    gzip,
    ackTimeoutMs: 5000,
    ...(tls ? { tls } : {}),
  });
  transports.push(t);
  return t;
}

/** Entries forwarded by Fluent Bit to the downstream receiver with the given ids, waiting up to 10 s. */
async function forwarded(ids: readonly string[]): Promise<Map<string, { tag: string; time: unknown; record: Record<string, unknown> }>> {
  const found = new Map<string, { tag: string; time: unknown; record: Record<string, unknown> }>();
  const collect = (): boolean => {
    for (const frame of downstream?.frames ?? []) {
      for (const [time, record] of frame.entries) {
        if (typeof record.id === "string" && ids.includes(record.id)) found.set(record.id, { tag: frame.tag, time, record });
      }
    }
    return ids.every((id) => found.has(id));
  };
  const deadline = Date.now() + 10000;
  while (!collect() && Date.now() < deadline) {
    await downstream?.waitForFrames((downstream?.frames.length ?? 0) + 1, Math.max(1, deadline - Date.now())).catch(() => undefined);
  }
  return found;
}

beforeAll(async () => {
  temp = tempDir("fluent-bit-interop-");
  downstream = await startForwardReceiver();
  [plainPort, keyedPort, tlsPort] = (await freePorts(3)) as [number, number, number];
  const pem = selfSignedCertificate();
  cert = pem.cert;
  writeFileSync(path.join(temp.dir, "cert.pem"), pem.cert);
  writeFileSync(path.join(temp.dir, "key.pem"), pem.key);
  const config = path.join(temp.dir, "fluent-bit.yaml");
  writeFileSync(
    config,
    `
service:
  flush: 1
  grace: 1
  log_level: info
pipeline:
  inputs:
    - name: forward
      listen: 127.0.0.1
      port: ${plainPort}
    - name: forward
      listen: 127.0.0.1
      port: ${keyedPort}
      shared_key: ${sharedKey}
      self_hostname: fluent-bit-interop
    - name: forward
      listen: 127.0.0.1
      port: ${tlsPort}
      shared_key: ${sharedKey}
      tls: on
      tls.verify: off
      tls.crt_file: ${path.join(temp.dir, "cert.pem")}
      tls.key_file: ${path.join(temp.dir, "key.pem")}
  outputs:
    - name: forward
      match: '*'
      host: 127.0.0.1
      port: ${downstream.port}
      require_ack_response: true
`,
  );
  daemon = startDaemon(path.join(toolsDir, "fluent-bit/run"), ["-c", config], path.join(temp.dir, "fluent-bit.log"));
  await waitForPort(plainPort, daemon, 20000);
  await waitForPort(keyedPort, daemon, 10000);
  await waitForPort(tlsPort, daemon, 10000);
}, 40000);

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await daemon?.stop();
  await downstream?.close();
  temp?.remove();
}, 20000);

describe("forward transport against Fluent Bit 4.2.8", () => {
  it("delivers a PackedForward batch with ack and Fluent Bit keeps the nanoseconds", async () => {
    const records = numberedRecords(`${run}-plain`, 3);
    expect(await transport(plainPort).send(makeBatch("app.plain", records))).toEqual({ status: "ok" });
    const found = await forwarded(records.map((r) => String(r.record.id)));
    expect(found.size).toBe(3);
    expect(found.get(`${run}-plain-0`)?.tag).toBe("app.plain");
    expect(eventTimeOf(found.get(`${run}-plain-0`)?.time)).toEqual([1700000000, 123456789]);
    expect(eventTimeOf(found.get(`${run}-plain-2`)?.time)).toEqual([1700000000, 123456791]);
  });

  it("delivers a gzip CompressedPackedForward batch", async () => {
    const records = numberedRecords(`${run}-gzip`, 4);
    expect(await transport(plainPort, undefined, true).send(makeBatch("app.gzip", records))).toEqual({ status: "ok" });
    expect((await forwarded(records.map((r) => String(r.record.id)))).size).toBe(4);
  });

  it("pipelines several batches on one connection", async () => {
    const t = transport(plainPort);
    const results = await Promise.all([0, 1, 2, 3, 4].map((n) => t.send(makeBatch("app.pipe", numberedRecords(`${run}-pipe${n}`, 2)))));
    expect(results.every((r) => r.status === "ok")).toBe(true);
    expect((await forwarded([0, 1, 2, 3, 4].flatMap((n) => [`${run}-pipe${n}-0`, `${run}-pipe${n}-1`]))).size).toBe(10);
  });

  it("completes the shared-key handshake and delivers", async () => {
    const records = numberedRecords(`${run}-keyed`, 2);
    expect(await transport(keyedPort, sharedKey).send(makeBatch("app.keyed", records))).toEqual({ status: "ok" });
    const found = await forwarded(records.map((r) => String(r.record.id)));
    expect(eventTimeOf(found.get(`${run}-keyed-1`)?.time)).toEqual([1700000000, 123456790]);
  });

  it("completes the shared-key handshake over TLS and delivers", async () => {
    const records = numberedRecords(`${run}-tls`, 2);
    expect(await transport(tlsPort, sharedKey, false, { ca: cert }).send(makeBatch("app.tls", records))).toEqual({ status: "ok" });
    expect((await forwarded(records.map((r) => String(r.record.id)))).size).toBe(2);
  });

  it("reports a wrong shared key as failed rejected", async () => {
    const result = await transport(keyedPort, "not-the-key").send(makeBatch("app.wrong", numberedRecords(`${run}-wrong`, 1)));
    expect(result.status).toBe("failed");
    if (result.status === "ok") return;
    expect(result.error.code).toBe("rejected");
    expect(result.error.message).toContain("FLUENTD_SHARED_KEY");
    expect(result.error.message).not.toContain(sharedKey);
  });

  it("reports a missing shared key against a keyed input as failed rejected", async () => {
    const result = await transport(keyedPort).send(makeBatch("app.nokey", numberedRecords(`${run}-nokey`, 1)));
    expect(result.status === "ok" ? "ok" : result.error.code).toBe("rejected");
  });
});
