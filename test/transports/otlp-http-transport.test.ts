/**
 * createOtlpHttpTransport against a real node:http receiver on 127.0.0.1: encoded OTLP bodies arrive
 * intact, responses map to the right SendResult, secrets stay out of messages.
 */
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { inspect } from "node:util";
import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExportTraceServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { decodePartialSuccess } from "../../runtime/transports/otlp/partial-success.js";
import { parseRetryAfterMs } from "../../runtime/transports/http/http-result.js";
import { resolveOtlpExporterOptions } from "../../runtime/transports/otlp/otlp-options.js";
import type { EncodedBatch, SendResult, Transport } from "../../runtime/transports/transport.js";
import { hex, partialSuccessBody, startOtlpReceiver, type OtlpReceiver } from "../helpers/otlp-receiver.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const apiKey = "auth_TOPSECRET_abcdef123456";
const cleanups = cleanupsAfterEach();

async function receiver(): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver();
  cleanups.push(() => r.close());
  return r;
}

function transport(url: string, options: Record<string, unknown> = {}): Transport {
  const t = createOtlpHttpTransport({ url, timeoutMs: 3000, ...options });
  cleanups.push(() => t.close());
  return t;
}

/** An ExportTraceServiceRequest with `count` spans, encoded with protobuf-es. */
function spansBatch(count: number, name = "span"): EncodedBatch {
  const request = create(ExportTraceServiceRequestSchema, {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue", value: "api" } } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: count }, (_, i) => ({
              traceId: new Uint8Array(16).fill(0xab),
              spanId: new Uint8Array(8).fill(i + 1),
              name: `${name}-${i}`,
              startTimeUnixNano: 1700000000000000000n,
              endTimeUnixNano: 1700000000123456789n,
            })),
          },
        ],
      },
    ],
  });
  const entries = toBinary(ExportTraceServiceRequestSchema, request);
  return { body: entries, count, bytes: entries.byteLength };
}

function messageOf(result: SendResult): string {
  return result.status === "ok" ? "" : result.error.message;
}

describe("createOtlpHttpTransport", () => {
  it("POSTs the encoded request as application/x-protobuf and resolves ok", async () => {
    const r = await receiver();
    const result = await transport(r.url("/v1/traces")).send(spansBatch(3));
    expect(result).toEqual({ status: "ok" });
    const [request] = r.requests;
    expect(request?.method).toBe("POST");
    expect(request?.headers["content-type"]).toBe("application/x-protobuf");
    const spans = r.traces()[0]?.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(spans.map((s) => s.name)).toEqual(["span-0", "span-1", "span-2"]);
    expect(hex(spans[2]?.spanId ?? new Uint8Array())).toBe("0303030303030303");
    expect(spans[0]?.endTimeUnixNano).toBe(1700000000123456789n);
  });

  it("maps 503, then 429 with Retry-After: 1, then 200 to retryable, retryable after 1000 ms, ok", async () => {
    const r = await receiver();
    r.script({ status: 503 }, { status: 429, headers: { "retry-after": "1" } }, { status: 200 });
    const t = transport(r.url("/v1/traces"));
    const results = [await t.send(spansBatch(1)), await t.send(spansBatch(1)), await t.send(spansBatch(1))];
    expect(results.map((x) => x.status)).toEqual(["retryable", "retryable", "ok"]);
    expect(results[0]).not.toHaveProperty("retryAfterMs");
    expect(results[1]).toMatchObject({ status: "retryable", retryAfterMs: 1000, error: { code: "unavailable" } });
    expect(messageOf(results[1] as SendResult)).toContain("HTTP 429");
  });

  it("takes retryAfterMs from an HTTP-date Retry-After", async () => {
    const r = await receiver();
    r.script({ status: 503, headers: { "retry-after": new Date(Date.now() + 30_000).toUTCString() } });
    const result = await transport(r.url("/v1/traces")).send(spansBatch(1));
    expect(result.status).toBe("retryable");
    const ms = result.status === "retryable" ? (result.retryAfterMs ?? -1) : -1;
    expect(ms).toBeGreaterThan(27_000);
    expect(ms).toBeLessThanOrEqual(30_000);
  });

  it("answers 408, 502 and 504 retryable too", async () => {
    const r = await receiver();
    r.script({ status: 408 }, { status: 502 }, { status: 504 });
    const t = transport(r.url("/v1/traces"));
    for (let i = 0; i < 3; i++) expect((await t.send(spansBatch(1))).status).toBe("retryable");
  });

  it("reports 400 as failed rejected", async () => {
    const r = await receiver();
    r.script({ status: 400, body: "proto: cannot parse invalid wire-format data" });
    const result = await transport(r.url("/v1/traces")).send(spansBatch(1));
    expect(result).toMatchObject({ status: "failed", error: { code: "rejected" } });
    expect(messageOf(result)).toMatch(/HTTP 400: proto: cannot parse/);
  });

  it("reports 500 as failed, as the OTLP specification does not retry it", async () => {
    const r = await receiver();
    r.script({ status: 500 });
    expect(await transport(r.url("/v1/traces")).send(spansBatch(1))).toMatchObject({ status: "failed", error: { code: "rejected" } });
  });

  it("reports 401 naming DASH0_API_KEY and never the key, even when the body echoes it", async () => {
    const r = await startOtlpReceiver((req) => ({ status: 401, body: `invalid token: ${String(req.headers.authorization)}` }));
    cleanups.push(() => r.close());
    const t = transport(r.url("/v1/traces"), { dash0: { apiKey, dataset: "prod" } });
    const result = await t.send(spansBatch(1));
    expect(result).toMatchObject({ status: "failed", error: { code: "rejected" } });
    expect(messageOf(result)).toMatch(/HTTP 401.*not authenticated.*DASH0_API_KEY.*DASH0_DATASET/);
    expect(messageOf(result)).toContain("[redacted]");
    expect(r.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    for (const shown of [messageOf(result), inspect(result, { depth: 10 }), inspect(t, { depth: 10 }), JSON.stringify(t)]) expect(shown).not.toContain(apiKey);
  });

  it("reports 403 as not authorised, naming DASH0_DATASET", async () => {
    const r = await receiver();
    r.script({ status: 403, body: "dataset not allowed" });
    const result = await transport(r.url("/v1/traces"), { dash0: { apiKey, dataset: "nope" } }).send(spansBatch(1));
    expect(result).toMatchObject({ status: "failed", error: { code: "rejected" } });
    expect(messageOf(result)).toMatch(/HTTP 403: dataset not allowed \(not authorised: check DASH0_API_KEY and DASH0_DATASET/);
    expect(r.requests[0]?.headers["dash0-dataset"]).toBe("nope");
  });

  it("returns the partial_success of a 200 with the ok", async () => {
    const r = await receiver();
    r.script({ status: 200, body: partialSuccessBody(2, "2 spans had an empty name") });
    const result = await transport(r.url("/v1/traces")).send(spansBatch(5));
    expect(result).toEqual({ status: "ok", partialSuccess: { rejected: 2, errorMessage: "2 spans had an empty name" } });
  });

  it("gzips the body when compression is gzip", async () => {
    const r = await receiver();
    const batch = spansBatch(50);
    expect(await transport(r.url("/v1/traces"), { compression: "gzip" }).send(batch)).toEqual({ status: "ok" });
    expect(r.requests[0]?.headers["content-encoding"]).toBe("gzip");
    expect(r.requests[0]?.wireBytes).toBeLessThan(batch.bytes);
    expect(r.traces()[0]?.resourceSpans[0]?.scopeSpans[0]?.spans).toHaveLength(50);
  });

  it("reuses one keep-alive connection for several sends", async () => {
    const r = await receiver();
    const t = transport(r.url("/v1/traces"));
    for (let i = 0; i < 5; i++) expect(await t.send(spansBatch(1, `s${i}`))).toEqual({ status: "ok" });
    expect(r.requests.map((q) => q.connection)).toEqual([1, 1, 1, 1, 1]);
    expect(r.connections).toBe(1);
  });

  it("opens a connection per send when keepAlive is false", async () => {
    const r = await receiver();
    const t = transport(r.url("/v1/traces"), { keepAlive: false });
    for (let i = 0; i < 3; i++) expect(await t.send(spansBatch(1))).toEqual({ status: "ok" });
    expect(r.connections).toBe(3);
  });

  it("resends once on a fresh connection when a reused keep-alive socket turns out closed", async () => {
    // Raw server: connection 1 answers its first request, then drops the connection on the next one
    // (as a server does that timed the idle connection out just as we wrote); connection 2 answers.
    let connections = 0;
    const server = createServer((socket) => {
      const id = ++connections;
      let seen = 0;
      socket.on("data", (chunk: Buffer) => {
        if (!chunk.includes("POST")) return;
        seen++;
        if (id === 1 && seen === 2) socket.destroy();
        else socket.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
      });
    }).listen(0, "127.0.0.1");
    await once(server, "listening");
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const t = transport(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`);
    expect(await t.send(spansBatch(1))).toEqual({ status: "ok" });
    expect(await t.send(spansBatch(1))).toEqual({ status: "ok" });
    expect(connections).toBe(2);
  });

  it("reports a connection reset as retryable unavailable", async () => {
    const r = await receiver();
    r.script({ reset: true });
    const result = await transport(r.url("/v1/traces")).send(spansBatch(1));
    expect(result).toMatchObject({ status: "retryable", error: { code: "unavailable" } });
  });

  it("reports a refused connection as retryable unavailable", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const result = await transport(`http://127.0.0.1:${port}/v1/traces`).send(spansBatch(1));
    expect(result).toMatchObject({ status: "retryable", error: { code: "unavailable" } });
    expect(messageOf(result)).toContain("ECONNREFUSED");
  });

  it("reports no response within timeoutMs as retryable", async () => {
    const r = await receiver();
    r.script({ hang: true });
    const started = Date.now();
    const result = await transport(r.url("/v1/traces"), { timeoutMs: 150 }).send(spansBatch(1));
    expect(result).toMatchObject({ status: "retryable", error: { code: "unavailable" } });
    expect(messageOf(result)).toContain("no response within 150 ms");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("resolves a send in flight retryable shutdown on close, and later sends failed", async () => {
    const r = await receiver();
    r.script({ hang: true });
    const t = transport(r.url("/v1/traces"));
    const pending = t.send(spansBatch(1));
    await r.waitForRequests(1);
    await t.close();
    expect(await pending).toMatchObject({ status: "retryable", error: { code: "shutdown" } });
    expect(await t.send(spansBatch(1))).toMatchObject({ status: "failed", error: { code: "shutdown" } });
  });

  it("resolves retryable shutdown when the signal aborts", async () => {
    const r = await receiver();
    r.script({ hang: true });
    const controller = new AbortController();
    const pending = transport(r.url("/v1/traces")).send(spansBatch(1), controller.signal);
    await r.waitForRequests(1);
    controller.abort();
    expect(await pending).toMatchObject({ status: "retryable", error: { code: "shutdown" } });
  });
});

describe("resolveOtlpExporterOptions", () => {
  it("defaults the URL to a local collector's signal path and lets code win", () => {
    expect(resolveOtlpExporterOptions({}).url).toBe("http://localhost:4318/v1/traces");
    expect(resolveOtlpExporterOptions({ signal: "logs" }).url).toBe("http://localhost:4318/v1/logs");
    expect(resolveOtlpExporterOptions({ url: "http://code/v1/traces" }).url).toBe("http://code/v1/traces");
  });

  it("adds the Dash0 headers over code headers and redacts them and the key", () => {
    const resolved = resolveOtlpExporterOptions({
      headers: { "x-team": "api", authorization: "Bearer other" },
      compression: "gzip",
      timeoutMs: 2500,
      dash0: { apiKey, dataset: "staging" },
    });
    expect(resolved).toMatchObject({ compression: "gzip", timeoutMs: 2500, dash0: { apiKey, dataset: "staging" } });
    expect({ ...resolved.headers }).toEqual({ "x-team": "api", Authorization: `Bearer ${apiKey}`, "Dash0-Dataset": "staging" });
    expect(inspect(resolved, { depth: 5 })).not.toContain(apiKey);
    expect(JSON.stringify(resolved)).not.toContain(apiKey);
  });

  it("names every bad option in one error and never prints the key", () => {
    let error: unknown;
    try {
      resolveOtlpExporterOptions({ url: "ftp://x", compression: "br" as "gzip", timeoutMs: 0, dash0: { apiKey: `${apiKey}\n` }, bogus: 1 } as never);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toMatchObject({ code: "config_invalid" });
    const message = (error as Error).message;
    for (const key of ["url=", "compression=", "timeoutMs=", "dash0.apiKey=", "bogus="]) expect(message).toContain(key);
    expect(message).not.toContain(apiKey);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads delay-seconds and HTTP-dates and ignores anything else", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfterMs("0", now)).toBe(0);
    expect(parseRetryAfterMs(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfterMs("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfterMs("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    for (const bad of [undefined, "", "1.5", "-1", "soon"]) expect(parseRetryAfterMs(bad, now)).toBeUndefined();
  });
});

describe("decodePartialSuccess", () => {
  it("reads rejected and error_message, and treats empty, default or non-protobuf bodies as none", () => {
    expect(decodePartialSuccess(partialSuccessBody(7, "too old"))).toEqual({ rejected: 7, errorMessage: "too old" });
    expect(decodePartialSuccess(partialSuccessBody(0, "warning only"))).toEqual({ rejected: 0, errorMessage: "warning only" });
    expect(decodePartialSuccess(new Uint8Array())).toBeUndefined();
    expect(decodePartialSuccess(partialSuccessBody(0, ""))).toBeUndefined();
    expect(decodePartialSuccess(new TextEncoder().encode("<html>ok</html>"))).toBeUndefined();
  });
});
