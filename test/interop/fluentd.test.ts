/**
 * Interop with the real Fluentd 1.18 (../shared/tools/fluentd): our forward transport against
 * `in_forward` with and without `<security> shared_key`, records written by `out_file` with
 * nanosecond time.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import type { SendResult, Transport } from "../../runtime/transports/transport.js";
import { makeBatch, numberedRecords } from "../helpers/batches.js";
import { freePorts } from "../helpers/daemons.js";
import { startFluentd, type FluentdDaemon } from "../helpers/fluentd-daemon.js";
import { selfSignedCertificate } from "../helpers/self-signed.js";

const sharedKey = `interop-key-${process.pid}`;
const run = Date.now().toString(36);
let plainPort = 0;
let keyedPort = 0;
let tlsPort = 0;
let cert = "";
let fluentd: FluentdDaemon | undefined;
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

function written(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (fluentd === undefined) throw new Error("Fluentd did not start");
  return fluentd.written(ids);
}

beforeAll(async () => {
  [plainPort, keyedPort, tlsPort] = (await freePorts(3)) as [number, number, number];
  const pem = selfSignedCertificate();
  cert = pem.cert;
  const writePem = (dir: string): void => {
    writeFileSync(path.join(dir, "cert.pem"), pem.cert);
    writeFileSync(path.join(dir, "key.pem"), pem.key);
  };
  fluentd = await startFluentd(
    "fluentd-interop-",
    [plainPort, keyedPort, tlsPort],
    (dir) => `
<source>
  @type forward
  bind 127.0.0.1
  port ${plainPort}
</source>
<source>
  @type forward
  bind 127.0.0.1
  port ${keyedPort}
  <security>
    self_hostname fluentd-interop
    shared_key ${sharedKey}
  </security>
</source>
<source>
  @type forward
  bind 127.0.0.1
  port ${tlsPort}
  <transport tls>
    cert_path ${path.join(dir, "cert.pem")}
    private_key_path ${path.join(dir, "key.pem")}
  </transport>
  <security>
    self_hostname fluentd-interop
    shared_key ${sharedKey}
  </security>
</source>
`,
    writePem,
  );
}, 60000);

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await fluentd?.stop();
}, 20000);

describe("forward transport against Fluentd 1.18", () => {
  it("delivers a PackedForward batch with ack and Fluentd keeps the nanoseconds", async () => {
    const records = numberedRecords(`${run}-plain`, 3);
    const result: SendResult = await transport(plainPort).send(makeBatch("app.plain", records));
    expect(result).toEqual({ status: "ok" });
    const found = await written(records.map((r) => String(r.record.id)));
    expect(found.get(`${run}-plain-0`)).toMatchObject({ tag: "app.plain", time: "2023-11-14T22:13:20.123456789Z", i: 0 });
    expect(found.get(`${run}-plain-2`)?.time).toBe("2023-11-14T22:13:20.123456791Z");
  });

  it("delivers a gzip CompressedPackedForward batch", async () => {
    const records = numberedRecords(`${run}-gzip`, 4);
    expect(await transport(plainPort, undefined, true).send(makeBatch("app.gzip", records))).toEqual({ status: "ok" });
    const found = await written(records.map((r) => String(r.record.id)));
    expect(found.size).toBe(4);
  });

  it("pipelines several batches on one connection", async () => {
    const t = transport(plainPort);
    const batches = [0, 1, 2, 3, 4].map((n) => makeBatch("app.pipe", numberedRecords(`${run}-pipe${n}`, 2)));
    const results = await Promise.all(batches.map((b) => t.send(b)));
    expect(results.every((r) => r.status === "ok")).toBe(true);
    const found = await written([0, 1, 2, 3, 4].flatMap((n) => [`${run}-pipe${n}-0`, `${run}-pipe${n}-1`]));
    expect(found.size).toBe(10);
  });

  it("completes the shared-key handshake and delivers", async () => {
    const records = numberedRecords(`${run}-keyed`, 2);
    expect(await transport(keyedPort, sharedKey).send(makeBatch("app.keyed", records))).toEqual({ status: "ok" });
    const found = await written(records.map((r) => String(r.record.id)));
    expect(found.get(`${run}-keyed-1`)).toMatchObject({ tag: "app.keyed", time: "2023-11-14T22:13:20.123456790Z" });
  });

  it("completes the shared-key handshake over TLS and delivers", async () => {
    const records = numberedRecords(`${run}-tls`, 2);
    expect(await transport(tlsPort, sharedKey, false, { ca: cert }).send(makeBatch("app.tls", records))).toEqual({ status: "ok" });
    expect((await written(records.map((r) => String(r.record.id)))).size).toBe(2);
  });

  it("reports a wrong shared key as failed rejected", async () => {
    const result = await transport(keyedPort, "not-the-key").send(makeBatch("app.wrong", numberedRecords(`${run}-wrong`, 1)));
    expect(result.status).toBe("failed");
    if (result.status === "ok") return;
    expect(result.error.code).toBe("rejected");
    expect(result.error.message).toMatch(/shared_key mismatch.*FLUENTD_SHARED_KEY/);
    expect(result.error.message).not.toContain(sharedKey);
  });

  it("reports a missing shared key against a keyed input as failed rejected", async () => {
    const result = await transport(keyedPort).send(makeBatch("app.nokey", numberedRecords(`${run}-nokey`, 1)));
    expect(result.status === "ok" ? "ok" : result.error.code).toBe("rejected");
  });
});
