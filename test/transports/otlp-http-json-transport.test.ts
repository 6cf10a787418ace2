/**
 * The OTLP/HTTP transport's `http/json` protocol and its `ca` option, against real receivers on
 * 127.0.0.1: JSON bodies arrive as `application/json`, a JSON `partialSuccess` is counted, an `https`
 * receiver with a self-signed certificate is trusted only through `ca`.
 */
import { once } from "node:events";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { decodeJsonPartialSuccess } from "../../runtime/transports/otlp/partial-success.js";
import type { EncodedBatch, Transport } from "../../runtime/transports/transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { spansBatch } from "../helpers/otlp-batches.js";
import { selfSignedCertificate } from "../helpers/self-signed.js";

const cleanups = cleanupsAfterEach();

function transport(url: string, options: Record<string, unknown> = {}): Transport {
  const t = createOtlpHttpTransport({ url, timeoutMs: 3000, ...options });
  cleanups.push(() => t.close());
  return t;
}

function jsonBatch(value: unknown, count: number): EncodedBatch {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  return { body, count, bytes: body.byteLength };
}

const request = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "ab".repeat(16), spanId: "01".repeat(8), name: "s", kind: 2 }] }] }] };

describe("createOtlpHttpTransport with protocol http/json", () => {
  it("POSTs the JSON body as application/json", async () => {
    const r = await startOtlpReceiver();
    cleanups.push(() => r.close());
    expect(await transport(r.url("/v1/traces"), { protocol: "http/json" }).send(jsonBatch(request, 1))).toEqual({ status: "ok" });
    expect(r.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(r.requests[0]?.body.toString("utf8") ?? "")).toEqual(request);
  });

  it("counts the partialSuccess of a JSON response (int64 count as a string)", async () => {
    const r = await startOtlpReceiver();
    cleanups.push(() => r.close());
    r.script({ status: 200, headers: { "content-type": "application/json" }, body: '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}' });
    const result = await transport(r.url("/v1/traces"), { protocol: "http/json" }).send(jsonBatch(request, 3));
    expect(result).toEqual({ status: "ok", partialSuccess: { rejected: 2, errorMessage: "too old" } });
  });

  it("refuses protocol grpc with a config error", () => {
    expect(() => createOtlpHttpTransport({ url: "http://127.0.0.1:4317", protocol: "grpc" })).toThrow(/protocol.*createOtlpGrpcTransport/s);
  });
});

describe("decodeJsonPartialSuccess", () => {
  const decode = (text: string) => decodeJsonPartialSuccess(Buffer.from(text, "utf8"));

  it("reads each signal's count, as a string or a number, camelCase or snake_case", () => {
    expect(decode('{"partialSuccess":{"rejectedLogRecords":4}}')).toEqual({ rejected: 4, errorMessage: "" });
    expect(decode('{"partial_success":{"rejected_data_points":"7","error_message":"bad"}}')).toEqual({ rejected: 7, errorMessage: "bad" });
  });

  it("gives undefined for an empty body, an empty partialSuccess or a body that is not JSON", () => {
    expect(decode("")).toBeUndefined();
    expect(decode('{"partialSuccess":{}}')).toBeUndefined();
    expect(decode("<html>")).toBeUndefined();
  });
});

describe("createOtlpHttpTransport with a ca", () => {
  it("trusts an https receiver's self-signed certificate only through ca", async () => {
    const tls = selfSignedCertificate();
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end());
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    server.on("connection", (socket) => cleanups.push(async () => socket.destroy()));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    expect(await transport(url, { ca: tls.cert }).send(spansBatch(1))).toEqual({ status: "ok" });
    const untrusted = await transport(url).send(spansBatch(1));
    expect(untrusted.status === "failed" && untrusted.error.code).toBe("protocol");
  });
});
