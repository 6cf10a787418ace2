/** Attacks on the collector, shared by the bomb tests: raw gRPC calls over h2c and a poller of `/api/status`. */
import { connect } from "node:http2";
import type { Collector, CollectorStatus } from "../../../runtime/collector/collector.js";

/** The status of a collector and how long `/api/status` took to answer. */
export async function statusOf(collector: Collector): Promise<{ status: CollectorStatus; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${collector.ports.status}/api/status`);
  const status = (await res.json()) as CollectorStatus;
  return { status, ms: performance.now() - t0 };
}

/**
 * Polls `/api/status` every 50 ms while `work` runs; returns the slowest answer's milliseconds, counted
 * from when the poll was due (the collector runs in this process: a stalled event loop delays the poll itself).
 */
export async function slowestStatusWhile(collector: Collector, work: Promise<unknown>): Promise<number> {
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  let slowest = 0;
  while (!done) {
    slowest = Math.max(slowest, (await statusOf(collector)).ms);
    const due = performance.now() + 50;
    await new Promise((r) => setTimeout(r, 50));
    slowest = Math.max(slowest, performance.now() - due);
  }
  await finished;
  return Math.max(slowest, (await statusOf(collector)).ms);
}

/** A gRPC frame: flags (1 = compressed), length, message. */
export function grpcFrame(message: Buffer, compressed: boolean, declaredLength = message.length): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([head, message]);
}

/** What a unary gRPC call got: `grpc-status`, `grpc-message` and the milliseconds it took. */
export interface GrpcAnswer {
  readonly status: number;
  readonly message: string;
  readonly ms: number;
}

/** One unary call over h2c with `body` as the request's bytes; resolves with `grpc-status` and `grpc-message`. */
export function grpcCall(port: number, path: string, body: Buffer, gzip: boolean): Promise<GrpcAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const headers = {
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc+proto",
      te: "trailers",
      ...(gzip ? { "grpc-encoding": "gzip" } : {}),
    };
    const stream = session.request(headers);
    let status: number | undefined;
    let message = "";
    const take = (h: Record<string, unknown>): void => {
      if (h["grpc-status"] !== undefined) status = Number(h["grpc-status"]);
      if (typeof h["grpc-message"] === "string") message = decodeURIComponent(h["grpc-message"]);
    };
    stream.on("response", take);
    stream.on("trailers", take);
    stream.on("data", () => {});
    stream.on("error", reject);
    stream.on("close", () => {
      session.close();
      if (status === undefined) reject(new Error(`no grpc-status (http2 code ${stream.rstCode})`));
      else resolve({ status, message, ms: performance.now() - started });
    });
    stream.end(body);
  });
}
