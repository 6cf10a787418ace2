/**
 * Issue 13's gRPC bombs: connect-node decodes a request before our handler runs, so the collector's
 * OTLP/gRPC input reads each message first (grpc-request-screen.ts). Raw gRPC frames go over
 * `node:http2` on 127.0.0.1 while `/api/status` is polled: a gzip message over `maxBodyBytes` once
 * decompressed, and messages under it carrying millions of records or data points, are refused with
 * RESOURCE_EXHAUSTED (8), and every status answer comes within 1 s.
 */
import { connect } from "node:http2";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startTestCollector } from "../helpers/collector-harness.js";
import { type GrpcAnswer, grpcCall, grpcFrame, slowestStatusWhile, statusOf } from "./support/collector-attack.js";

const cleanups = cleanupsAfterEach();

const logsPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
const metricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
const resourceExhausted = 8;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A length-delimited field: tag, length, bytes. */
function field(tag: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag, ...varint(bytes.length)]), bytes]);
}

/** `count` copies of a field with an empty value (`tag`, length 0). */
function emptyFields(tag: number, count: number): Buffer {
  const out = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) out[i * 2] = tag;
  return out;
}

/** `ExportLogsServiceRequest` with one resource, one scope and `count` empty log records. */
function manyLogRecords(count: number): Buffer {
  return field(0x0a, field(0x12, emptyFields(0x12, count)));
}

/** `ExportMetricsServiceRequest` with one metric whose gauge (5) holds `count` empty data points (1). */
function manyDataPoints(count: number): Buffer {
  const metric = Buffer.concat([field(0x0a, Buffer.from("bomb")), field(0x2a, emptyFields(0x0a, count))]);
  return field(0x0a, field(0x12, field(0x12, metric)));
}

describe("the collector's OTLP/gRPC input under bombs", () => {
  it("refuses a gzip message over maxBodyBytes once decompressed with RESOURCE_EXHAUSTED, /api/status answering within 1 s", async () => {
    const collector = await startTestCollector(cleanups);
    const maxBodyBytes = 32 * 1024 * 1024;
    const bomb = gzipSync(Buffer.alloc(maxBodyBytes + 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(40 * 1024);
    const answers: GrpcAnswer[] = [];
    const attack = (async () => {
      for (let i = 0; i < 3; i++) answers.push(await grpcCall(collector.ports.otlpGrpc, logsPath, grpcFrame(bomb, true), true));
    })();
    const slowest = await slowestStatusWhile(collector, attack);
    expect(answers.map((a) => a.status)).toEqual([resourceExhausted, resourceExhausted, resourceExhausted]);
    expect(answers[0]?.message).toContain(`readMaxBytes ${maxBodyBytes} after decompression`);
    expect(slowest).toBeLessThan(1000);
    console.log(
      `gRPC gzip bomb: ${bomb.length} bytes compressed, refused past ${maxBodyBytes} decompressed in ` +
        `${answers.map((a) => a.ms.toFixed(0)).join("/")} ms; slowest /api/status ${slowest.toFixed(0)} ms`,
    );
    expect((await statusOf(collector)).status.counts.total).toBe(0);
  }, 30_000);

  it("counts millions of records or data points on the wire and refuses them before decoding (tooManyRecords)", async () => {
    const collector = await startTestCollector(cleanups);
    const records = gzipSync(manyLogRecords(15_000_000), { level: 9 });
    const points = gzipSync(manyDataPoints(15_000_000), { level: 9 });
    const small = gzipSync(manyLogRecords(20_000), { level: 9 });
    expect(Math.max(records.length, points.length)).toBeLessThan(40 * 1024);
    const answers: GrpcAnswer[] = [];
    const attack = (async () => {
      answers.push(await grpcCall(collector.ports.otlpGrpc, logsPath, grpcFrame(records, true), true));
      answers.push(await grpcCall(collector.ports.otlpGrpc, metricsPath, grpcFrame(points, true), true));
      answers.push(await grpcCall(collector.ports.otlpGrpc, logsPath, grpcFrame(small, true), true));
      answers.push(await grpcCall(collector.ports.otlpGrpc, logsPath, grpcFrame(manyLogRecords(20_000), false), false));
    })();
    const slowest = await slowestStatusWhile(collector, attack);
    expect(answers.map((a) => a.status)).toEqual([resourceExhausted, resourceExhausted, resourceExhausted, resourceExhausted]);
    expect(answers[0]?.message).toContain("exceed maxRecordsPerRequest (10000)");
    expect(slowest).toBeLessThan(1000);
    console.log(
      `gRPC record bombs (${records.length}/${points.length}/${small.length} bytes gzip): refused in ` +
        `${answers.map((a) => a.ms.toFixed(0)).join("/")} ms; slowest /api/status ${slowest.toFixed(0)} ms`,
    );
    const { status } = await statusOf(collector);
    expect([status.hops.otlpGrpc.tooManyRecords, status.counts.total, status.counts.metricPoints]).toEqual([4, 0, 0]);
  }, 30_000);

  it("refuses a message whose length prefix is over maxBodyBytes without waiting for its bytes", async () => {
    const collector = await startTestCollector(cleanups, { maxBodyBytes: 1024 * 1024 });
    const answer = await grpcCall(collector.ports.otlpGrpc, logsPath, grpcFrame(Buffer.alloc(64), false, 2 * 1024 * 1024), false);
    expect(answer.status).toBe(resourceExhausted);
    expect(answer.message).toContain("larger than configured readMaxBytes 1048576");
  });

  it("refuses brotli (only gzip is accepted) with UNIMPLEMENTED", async () => {
    const collector = await startTestCollector(cleanups);
    const answer = await new Promise<GrpcAnswer>((resolve, reject) => {
      const session = connect(`http://127.0.0.1:${collector.ports.otlpGrpc}`);
      const stream = session.request({ ":method": "POST", ":path": logsPath, "content-type": "application/grpc", te: "trailers", "grpc-encoding": "br" });
      let status = -1;
      stream.on("response", (h) => {
        if (h["grpc-status"] !== undefined) status = Number(h["grpc-status"]);
      });
      stream.on("trailers", (h) => {
        if (h["grpc-status"] !== undefined) status = Number(h["grpc-status"]);
      });
      stream.on("data", () => {});
      stream.on("error", reject);
      stream.on("close", () => {
        session.close();
        resolve({ status, message: "", ms: 0 });
      });
      stream.end(grpcFrame(Buffer.alloc(8), true));
    });
    expect(answer.status).toBe(12);
  });
});
