/**
 * Issue 13's nested-item bombs: one record carrying millions of empty attributes (or map entries)
 * passes every record cap, yet decoding it stalls the event loop for seconds. Each input counts the
 * nested items on the wire before decoding and refuses a request over `maxItemsPerRequest` (413,
 * gRPC RESOURCE_EXHAUSTED, forward: no ack), counted in `hops.*.tooManyItems`, while `/api/status`
 * (polled throughout) answers within 1 s.
 */
import { once } from "node:events";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExportLogsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import type { Collector } from "../../runtime/collector/collector.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector } from "../helpers/collector-harness.js";
import { varint } from "../helpers/otlp-bombs.js";
import { grpcCall, grpcFrame, slowestStatusWhile, statusOf } from "./support/collector-attack.js";

const cleanups = cleanupsAfterEach();

const attributes = 8 * 1024 * 1024;
const logsPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
const resourceExhausted = 8;

/** A length-delimited field: tag, length, bytes. */
function field(tag: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag, ...varint(bytes.length)]), bytes]);
}

/** `ExportLogsServiceRequest` with one log record holding `count` empty attributes (field 6, length 0): 2 bytes each. */
function attributeBomb(count: number): Buffer {
  const empty = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) empty[i * 2] = 0x32;
  return field(0x0a, field(0x12, field(0x12, empty)));
}

/** OTLP/JSON: one log record with `count` empty attribute objects. */
function jsonAttributeBomb(count: number): Buffer {
  return Buffer.from(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[${Array(count).fill("{}").join(",")}]}]}]}]}`);
}

/** A msgpack map32 of `count` entries (empty string → 0). */
function msgpackMapBomb(count: number): Buffer {
  const entries = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) entries[i * 2] = 0xa0;
  const header = Buffer.from([0xdf, 0, 0, 0, 0]);
  header.writeUInt32BE(count, 1);
  return Buffer.concat([header, entries]);
}

async function postGzip(port: number, path: string, body: Uint8Array, type: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body, headers: { "content-type": type, "content-encoding": "gzip" } });
  await res.body?.cancel();
  return { status: res.status, ms: performance.now() - t0 };
}

/** Sends one forward message (Message mode) and waits until the collector counted it refused or took it. */
async function sendForward(collector: Collector, message: Buffer): Promise<void> {
  const hop = () => collector.status().hops.forward;
  const before = hop().errors + hop().batches;
  const socket = connect(collector.ports.forward, "127.0.0.1");
  cleanups.push(async () => socket.destroy());
  await once(socket, "connect");
  socket.write(message);
  const deadline = Date.now() + 20_000;
  while (hop().errors + hop().batches === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.destroy();
}

describe("the collector under nested-item bombs", () => {
  it("refuses one record with 8 M empty attributes on OTLP/gRPC and OTLP/HTTP before decoding, /api/status within 1 s", async () => {
    const collector = await startTestCollector(cleanups);
    const bomb = gzipSync(attributeBomb(attributes), { level: 9 });
    const json = gzipSync(jsonAttributeBomb(attributes / 2), { level: 9 });
    expect(bomb.length).toBeLessThan(20 * 1024);
    const answers: string[] = [];
    const times: number[] = [];
    const attack = (async () => {
      const grpc = await grpcCall(collector.ports.otlpGrpc, logsPath, grpcFrame(bomb, true), true);
      answers.push(`${grpc.status} ${grpc.message}`);
      times.push(grpc.ms);
      for (const [body, type] of [
        [bomb, "application/x-protobuf"],
        [json, "application/json"],
      ] as const) {
        const http = await postGzip(collector.ports.otlpHttp, "/v1/logs", body, type);
        answers.push(String(http.status));
        times.push(http.ms);
      }
    })();
    const slowest = await slowestStatusWhile(collector, attack);
    console.log(
      `item bombs (${bomb.length} B gzip protobuf, ${json.length} B gzip JSON): answered in ${times.map((t) => t.toFixed(0)).join("/")} ms; ` +
        `slowest /api/status ${slowest.toFixed(0)} ms`,
    );
    expect(answers).toEqual([`${resourceExhausted} 2000001 items in one request exceed maxItemsPerRequest (2000000)`, "413", "413"]);
    expect(slowest).toBeLessThan(1000);
    const { status } = await statusOf(collector);
    expect([status.hops.otlpGrpc.tooManyItems, status.hops.otlpHttp.tooManyItems, status.counts.total]).toEqual([1, 2, 0]);
  }, 60_000);

  it("refuses a record whose map has 8 M entries on in_http (msgpack) and forward, /api/status within 1 s", async () => {
    const collector = await startTestCollector(cleanups);
    const map = msgpackMapBomb(attributes);
    const http = gzipSync(map, { level: 9 });
    const forward = Buffer.concat([Buffer.from([0x93, 0xa4, ...Buffer.from("bomb"), 0x01]), map]);
    const statuses: number[] = [];
    const attack = (async () => {
      statuses.push((await postGzip(collector.ports.http, "/bomb", http, "application/msgpack")).status);
      await sendForward(collector, forward);
    })();
    const slowest = await slowestStatusWhile(collector, attack);
    console.log(`map bombs (${http.length} B gzip in_http, ${forward.length} B forward): slowest /api/status ${slowest.toFixed(0)} ms`);
    expect(statuses).toEqual([413]);
    expect(slowest).toBeLessThan(1000);
    const { status } = await statusOf(collector);
    expect([status.hops.http.tooManyItems, status.hops.forward.tooManyItems, status.counts.total]).toEqual([1, 1, 0]);
  }, 60_000);

  it("refuses a map bomb sent before the shared-key handshake without decoding it", async () => {
    const collector = await startTestCollector(cleanups, { sharedKey: "k" });
    const bomb = Buffer.concat([Buffer.from([0x93, 0xa4, ...Buffer.from("PING"), 0x01]), msgpackMapBomb(attributes)]);
    const slowest = await slowestStatusWhile(collector, sendForward(collector, bomb));
    console.log(`pre-handshake map bomb (${bomb.length} B): slowest /api/status ${slowest.toFixed(0)} ms`);
    expect(slowest).toBeLessThan(1000);
    expect(collector.status().hops.forward.lastError).toContain("a PING has at most 64 values");
  }, 60_000);

  it("takes a request under the budget whole, and refuses one just over a low budget", async () => {
    const collector = await startTestCollector(cleanups, { maxItemsPerRequest: 1000 });
    const request = (count: number) =>
      toBinary(
        ExportLogsServiceRequestSchema,
        create(ExportLogsServiceRequestSchema, {
          resourceLogs: [
            {
              resource: { attributes: [{ key: "service.name", value: { value: { case: "stringValue", value: "items" } } }] },
              scopeLogs: [
                {
                  logRecords: [
                    {
                      body: { value: { case: "stringValue", value: "hello" } },
                      attributes: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: { value: { case: "intValue", value: BigInt(i) } } })),
                    },
                  ],
                },
              ],
            },
          ],
        } as never),
      );
    const arrived = nextRecords(collector, 1);
    expect((await postGzip(collector.ports.otlpHttp, "/v1/logs", gzipSync(request(200)), "application/x-protobuf")).status).toBe(200);
    expect(Object.keys((await arrived)[0]?.record.attributes ?? {})).toHaveLength(200);
    expect((await postGzip(collector.ports.otlpHttp, "/v1/logs", gzipSync(request(300)), "application/x-protobuf")).status).toBe(413);
    expect(collector.status().hops.otlpHttp.tooManyItems).toBe(1);
  });
});
