/**
 * Issue 13 leftover, "gRPC bombs": connect-node decodes an OTLP/gRPC request before our handler runs,
 * so a gzip bomb was bounded only by maxBodyBytes (32 MiB) and a request of millions of empty records
 * was decoded into millions of objects before the record cap applied. Now the message is capped at
 * 4 MiB after gunzip (RESOURCE_EXHAUSTED while decompressing) and records are counted on the wire
 * before decoding; `/api/status` keeps answering within 1 s throughout.
 */
import { connect, constants } from "node:http2";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Collector } from "../../runtime/collector/collector.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startTestCollector } from "../helpers/collector-harness.js";
import { otlpLogsBomb } from "../helpers/otlp-bombs.js";

const cleanups = cleanupsAfterEach();
const logsExport = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
const resourceExhausted = "8";

/** Sends one gRPC message whose gzipped bytes are `gzipped` (compressed flag set); resolves with its grpc-status and message. */
async function grpcCall(port: number, path: string, gzipped: Uint8Array): Promise<{ status: string; message: string }> {
  const session = connect(`http://127.0.0.1:${port}`);
  cleanups.push(async () => void session.destroy());
  const envelope = Buffer.alloc(5);
  envelope[0] = 1;
  envelope.writeUInt32BE(gzipped.byteLength, 1);
  const stream = session.request({
    [constants.HTTP2_HEADER_METHOD]: "POST",
    [constants.HTTP2_HEADER_PATH]: path,
    "content-type": "application/grpc",
    "grpc-encoding": "gzip",
    te: "trailers",
  });
  const fields: Record<string, string> = {};
  const keep = (headers: Record<string, unknown>): void => {
    for (const key of ["grpc-status", "grpc-message"]) if (typeof headers[key] === "string") fields[key] = headers[key] as string;
  };
  stream.on("response", keep);
  stream.on("trailers", keep);
  stream.resume();
  stream.end(Buffer.concat([envelope, gzipped]));
  await new Promise<void>((resolve, reject) => {
    stream.on("close", resolve);
    stream.on("error", reject);
  });
  session.close();
  return { status: fields["grpc-status"] ?? "", message: decodeURIComponent(fields["grpc-message"] ?? "") };
}

async function statusMs(collector: Collector): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${collector.ports.status}/api/status`);
  await res.json();
  return performance.now() - t0;
}

/** Polls `/api/status` every 50 ms while `work` runs; resolves with the slowest answer's milliseconds. */
async function slowestStatusWhile(collector: Collector, work: Promise<unknown>): Promise<number> {
  let done = false;
  const finished = work.finally(() => void (done = true));
  let slowest = 0;
  while (!done) {
    slowest = Math.max(slowest, await statusMs(collector));
    await new Promise((r) => setTimeout(r, 50));
  }
  await finished;
  return Math.max(slowest, await statusMs(collector));
}

describe("the collector's OTLP/gRPC input under gzip bombs", () => {
  it("refuses a message over 4 MiB after gunzip, and one of 1.9M empty records before decoding it, with RESOURCE_EXHAUSTED", async () => {
    const collector = await startTestCollector(cleanups);
    const sizeBomb = gzipSync(Buffer.alloc(24 * 1024 * 1024), { level: 9 }); // 24 MiB of zeros: under the old 32 MiB limit
    const recordBomb = otlpLogsBomb(1_900_000); // 3.8 MB of protobuf: under 4 MiB, 1.9M records
    expect(Math.max(sizeBomb.length, recordBomb.length)).toBeLessThan(64 * 1024);
    const answers: Array<{ status: string; message: string }> = [];
    const attack = (async () => {
      for (let round = 0; round < 2; round++) {
        answers.push(await grpcCall(collector.ports.otlpGrpc, logsExport, sizeBomb));
        answers.push(await grpcCall(collector.ports.otlpGrpc, logsExport, recordBomb));
      }
    })();
    const slowest = await slowestStatusWhile(collector, attack);
    expect(answers.map((a) => a.status)).toEqual([resourceExhausted, resourceExhausted, resourceExhausted, resourceExhausted]);
    expect(answers[0]?.message).toContain("readMaxBytes");
    expect(answers[1]?.message).toContain("maxRecordsPerRequest");
    expect(slowest).toBeLessThan(1000);
    const status = collector.status();
    expect(status.hops.otlpGrpc.tooManyRecords).toBe(2);
    expect(status.counts.total).toBe(0);
  }, 30_000);
});
