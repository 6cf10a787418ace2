import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import type { Transport } from "../../runtime/transports/transport.js";
import { makeBatch, numberedRecords } from "../helpers/batches.js";
import { startForwardReceiver, type ForwardReceiver } from "../helpers/forward-receiver.js";
import { selfSignedCertificate } from "../helpers/self-signed.js";

const key = "tls-shared-key";
let receiver: ForwardReceiver;
let cert = "";
const transports: Transport[] = [];
const batch = makeBatch("app.tls", numberedRecords("t", 2));

beforeAll(async () => {
  const pem = selfSignedCertificate();
  cert = pem.cert;
  receiver = await startForwardReceiver({ tls: pem, sharedKey: key });
}, 30000);

afterAll(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await receiver.close();
});

function transport(tls: boolean | { ca: string }): Transport {
  const t = createForwardTransport({ host: "127.0.0.1", port: receiver.port, sharedKey: key, tls });
  transports.push(t);
  return t;
}

describe("createForwardTransport with TLS", () => {
  it("handshakes and delivers over TLS when the receiver's certificate is trusted", async () => {
    expect(await transport({ ca: cert }).send(batch)).toEqual({ status: "ok" });
    expect(receiver.frames.at(-1)?.entries).toHaveLength(2);
  });

  it("gives failed protocol when the receiver's certificate is not trusted", async () => {
    const result = await transport(true).send(batch);
    expect(result.status).toBe("failed");
    expect(result.status === "ok" ? "" : result.error.code).toBe("protocol");
  });
});
