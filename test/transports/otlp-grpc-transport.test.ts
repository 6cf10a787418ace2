/**
 * createOtlpGrpcTransport against an independent OTLP/gRPC server (@grpc/grpc-js with the real OTLP
 * .proto files loaded by @grpc/proto-loader) on 127.0.0.1: every signal arrives decoded, gzip and
 * metadata are honoured, statuses map to the SendResult OTLP's specification asks for, and secrets stay
 * out of messages and printed forms.
 */
import { createServer as createHttpServer } from "node:http";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createOtlpGrpcTransport } from "../../runtime/transports/otlp/otlp-grpc-transport.js";
import type { OtlpExporterOptions } from "../../runtime/transports/otlp/otlp-options.js";
import type { SendResult, Transport } from "../../runtime/transports/transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { type GrpcOtlpReceiver, startGrpcOtlpReceiver } from "../helpers/grpc-otlp-receiver.js";
import { logsBatch, metricsBatch, spansBatch } from "../helpers/otlp-batches.js";
import { selfSignedCertificate } from "../helpers/self-signed.js";

const apiKey = "auth_TOPSECRET_grpc_abcdef123456";
const cleanups = cleanupsAfterEach();

async function receiver(tls?: { key: string; cert: string }): Promise<GrpcOtlpReceiver> {
  const r = await startGrpcOtlpReceiver(tls);
  cleanups.push(() => r.close());
  return r;
}

function transport(url: string, options: OtlpExporterOptions = {}): Transport {
  const t = createOtlpGrpcTransport({ url, timeoutMs: 3000, ...options });
  cleanups.push(() => t.close());
  return t;
}

/** A TCP proxy to the receiver on 127.0.0.1 that counts the bytes the client sends through it. */
async function countingProxy(port: number): Promise<{ url: string; bytesIn: () => number }> {
  let bytes = 0;
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.on("data", (chunk: Buffer) => {
      bytes += chunk.byteLength;
    });
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => proxy.close(resolve));
  });
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, bytesIn: () => bytes };
}

function failure(result: SendResult): { status: string; code: string; message: string; retryAfterMs?: number } {
  if (result.status === "ok") return { status: "ok", code: "", message: "" };
  const retryAfterMs = result.status === "retryable" ? result.retryAfterMs : undefined;
  return { status: result.status, code: result.error.code, message: result.error.message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

describe("createOtlpGrpcTransport", () => {
  it("exports spans with TraceService/Export: the independent server decodes names, ids and kind", async () => {
    const r = await receiver();
    expect(await transport(r.url).send(spansBatch(3))).toEqual({ status: "ok" });
    const [received] = r.requests;
    expect(received?.signal).toBe("traces");
    const spans = received?.request.resourceSpans[0].scopeSpans[0].spans;
    expect(spans.map((s: { name: string }) => s.name)).toEqual(["span-0", "span-1", "span-2"]);
    expect(Buffer.from(spans[2].spanId).toString("hex")).toBe("0303030303030303");
    expect(Buffer.from(spans[0].traceId).toString("hex")).toBe("ab".repeat(16));
    expect(spans[0].kind).toBe(2);
    expect(spans[0].endTimeUnixNano).toBe("1700000000123456789");
  });

  it("exports logs with LogsService/Export and metrics with MetricsService/Export", async () => {
    const r = await receiver();
    expect(await transport(r.url, { signal: "logs" }).send(logsBatch(2))).toEqual({ status: "ok" });
    expect(await transport(r.url, { signal: "metrics" }).send(metricsBatch(3))).toEqual({ status: "ok" });
    expect(r.requests.map((q) => q.signal)).toEqual(["logs", "metrics"]);
    const logs = r.requests[0]?.request.resourceLogs[0].scopeLogs[0].logRecords;
    expect(logs.map((l: { body: { stringValue: string } }) => l.body.stringValue)).toEqual(["log-0", "log-1"]);
    const metric = r.requests[1]?.request.resourceMetrics[0].scopeMetrics[0].metrics[0];
    expect(metric.name).toBe("queue.depth");
    expect(metric.gauge.dataPoints.map((p: { asDouble: number }) => p.asDouble)).toEqual([0, 1, 2]);
  });

  it("ignores the URL's path (a config endpoint ending in /v1/traces still reaches the service)", async () => {
    const r = await receiver();
    expect(await transport(`${r.url}/v1/traces`).send(spansBatch(1))).toEqual({ status: "ok" });
    expect(r.requests).toHaveLength(1);
  });

  it("sends headers as gRPC metadata", async () => {
    const r = await receiver();
    const t = transport(r.url, { dash0: { apiKey, dataset: "prod" }, headers: { "X-Team": "api" } });
    expect(await t.send(spansBatch(2))).toEqual({ status: "ok" });
    expect(r.requests[0]?.metadata).toMatchObject({ authorization: `Bearer ${apiKey}`, "dash0-dataset": "prod", "x-team": "api" });
  });

  it("gzips messages when asked: far fewer bytes on the wire, the same spans decoded", async () => {
    const r = await receiver();
    const plain = await countingProxy(r.port);
    const zipped = await countingProxy(r.port);
    expect(await transport(plain.url).send(spansBatch(200))).toEqual({ status: "ok" });
    expect(await transport(zipped.url, { compression: "gzip" }).send(spansBatch(200))).toEqual({ status: "ok" });
    expect(r.requests.map((q) => q.request.resourceSpans[0].scopeSpans[0].spans.length)).toEqual([200, 200]);
    expect(zipped.bytesIn()).toBeLessThan(plain.bytesIn() / 3);
  });

  it("answers ok with the counted partial_success of an OK response", async () => {
    const r = await receiver();
    r.script({ partialSuccess: { rejected: 2, errorMessage: "2 spans too old" } });
    expect(await transport(r.url).send(spansBatch(5))).toEqual({ status: "ok", partialSuccess: { rejected: 2, errorMessage: "2 spans too old" } });
  });

  it("retries UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, CANCELLED, OUT_OF_RANGE and DATA_LOSS", async () => {
    const r = await receiver();
    const codes = [14, 4, 10, 1, 11, 15];
    r.script(...codes.map((code) => ({ code, message: "try later" })));
    const t = transport(r.url);
    for (const code of codes) {
      const result = failure(await t.send(spansBatch(1)));
      expect(result, `code ${code}`).toMatchObject({ status: "retryable", code: "unavailable" });
      expect(result.message).toContain("try later");
    }
  });

  it("retries RESOURCE_EXHAUSTED after its RetryInfo delay, and rejects it without one", async () => {
    const r = await receiver();
    r.script({ code: 8, message: "slow down", retryDelayMs: 1500 }, { code: 8, message: "quota gone" });
    const t = transport(r.url);
    expect(failure(await t.send(spansBatch(1)))).toMatchObject({ status: "retryable", code: "unavailable", retryAfterMs: 1500 });
    expect(failure(await t.send(spansBatch(1)))).toMatchObject({ status: "failed", code: "rejected" });
  });

  it("rejects INVALID_ARGUMENT, INTERNAL and UNIMPLEMENTED without retrying", async () => {
    const r = await receiver();
    r.script({ code: 3, message: "bad span" }, { code: 13, message: "boom" }, { code: 12, message: "no such method" });
    const t = transport(r.url);
    const results = [await t.send(spansBatch(1)), await t.send(spansBatch(1)), await t.send(spansBatch(1))].map(failure);
    expect(results.map((x) => [x.status, x.code])).toEqual([
      ["failed", "rejected"],
      ["failed", "rejected"],
      ["failed", "rejected"],
    ]);
    expect(results[0]?.message).toMatch(/answered gRPC INVALID_ARGUMENT: bad span/);
  });

  it("reports UNAUTHENTICATED and PERMISSION_DENIED like HTTP 401/403, with the token scrubbed from the echoed message", async () => {
    const r = await receiver();
    r.script({ code: 16, message: `token Bearer ${apiKey} is unknown` }, { code: 7, message: "dataset prod not allowed" });
    const t = transport(r.url, { dash0: { apiKey, dataset: "prod" } });
    const unauthenticated = failure(await t.send(spansBatch(1)));
    const denied = failure(await t.send(spansBatch(1)));
    expect(unauthenticated).toMatchObject({ status: "failed", code: "rejected" });
    expect(unauthenticated.message).toContain("not authenticated: check DASH0_API_KEY");
    expect(unauthenticated.message).toContain("[redacted]");
    expect(unauthenticated.message).not.toContain("TOPSECRET");
    expect(denied.message).toContain("not authorised");
  });

  it("gives up on a call at its deadline (timeoutMs) as retryable", async () => {
    const r = await receiver();
    r.script({ delayMs: 2000 });
    const started = Date.now();
    const result = failure(await transport(r.url, { timeoutMs: 200 }).send(spansBatch(1)));
    expect(result).toMatchObject({ status: "retryable", code: "unavailable" });
    expect(result.message).toContain("DEADLINE_EXCEEDED");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("answers retryable (unavailable) when nothing listens", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    expect(failure(await transport(`http://127.0.0.1:${port}`).send(spansBatch(1)))).toMatchObject({ status: "retryable", code: "unavailable" });
  });

  it("fails (protocol) against an HTTP/1.1 server, and close() then raises no uncaught HTTP/2 error", async () => {
    const http1 = createHttpServer((_req, res) => res.writeHead(400).end());
    await new Promise<void>((resolve) => http1.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => http1.close(resolve)));
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => void uncaught.push(e);
    process.on("uncaughtException", onUncaught);
    cleanups.push(async () => process.off("uncaughtException", onUncaught));
    const t = createOtlpGrpcTransport({ url: `http://127.0.0.1:${(http1.address() as AddressInfo).port}` });
    expect(failure(await t.send(spansBatch(1)))).toMatchObject({ status: "failed", code: "protocol" });
    await t.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(uncaught).toEqual([]);
  });

  it("speaks TLS to an https:// URL, trusting the given CA, and fails (protocol) on an untrusted certificate", async () => {
    const tls = selfSignedCertificate();
    const r = await receiver(tls);
    expect(await transport(r.url, { ca: tls.cert }).send(spansBatch(2))).toEqual({ status: "ok" });
    expect(r.requests).toHaveLength(1);
    expect(failure(await transport(r.url).send(spansBatch(1)))).toMatchObject({ status: "failed", code: "protocol" });
  });

  it("resolves a send in flight retryable (shutdown) on close(), and later sends failed", async () => {
    const r = await receiver();
    r.script({ delayMs: 2000 });
    const t = transport(r.url);
    const pending = t.send(spansBatch(1));
    while (r.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await t.close();
    expect(failure(await pending)).toMatchObject({ status: "retryable", code: "shutdown" });
    expect(failure(await t.send(spansBatch(1)))).toMatchObject({ status: "failed", code: "shutdown" });
  });

  it("resolves retryable (shutdown) when the caller's signal aborts", async () => {
    const r = await receiver();
    r.script({ delayMs: 2000 });
    const abort = new AbortController();
    const pending = transport(r.url).send(spansBatch(1), abort.signal);
    while (r.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    expect(failure(await pending)).toMatchObject({ status: "retryable", code: "shutdown" });
  });

  it("never prints metadata values or the key (util.inspect, JSON)", () => {
    const t = transport("http://127.0.0.1:4317", { dash0: { apiKey }, headers: { "x-secret": "hunter2-long-value" } });
    for (const printed of [inspect(t, { depth: 5 }), JSON.stringify(t)]) {
      expect(printed).not.toContain("TOPSECRET");
      expect(printed).not.toContain("hunter2");
      expect(printed).toContain("[redacted]");
    }
  });
});
