// CPU of the client per span, encoding and sending, for each OTLP protocol: http/protobuf (the
// default), http/json and grpc (connect-node), to receivers in their own process that answer OK
// without decoding. Interleaved rounds in one process; medians of process CPU (user + system, all
// threads) per span. Also the encoders alone, and protobuf-es `toJsonString` as the other JSON route.
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromBinary, toJsonString } from "@bufbuild/protobuf";
import * as c from "../generated/index.js";
import { ExportTraceServiceRequestSchema } from "../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { encodeOtlpSpans } from "../runtime/encoding/otlp-span-encoder.js";
import { encodeOtlpSpansJson } from "../runtime/encoding/otlp-span-json-encoder.js";
import { createOtlpGrpcTransport } from "../runtime/transports/otlp/otlp-grpc-transport.js";
import { createOtlpHttpTransport } from "../runtime/transports/otlp/otlp-http-transport.js";
import type { EncodedBatch, Transport } from "../runtime/transports/transport.js";
import { median } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const batchSpans = 512;
const batchesPerRound = Number(process.env.BENCH_BATCHES ?? 40);

const service = { name: "bench-api", type: c.ServiceType.API, environment: "bench", version: "1.0.0", host: "bench-host" };
const spans = Array.from({ length: batchSpans }, (_, i) =>
  c.buildStandardTraceSpan({
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: (0x1000000000000000n + BigInt(i)).toString(16),
    parentSpanId: "00f067aa0ba902b7",
    name: "GET /jobs/:id",
    kind: c.SpanKind.SERVER,
    service,
    startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i) * 1000n,
    endTimeUnixNano: 1_700_000_000_005_000_000n + BigInt(i) * 1000n,
    status: { code: c.StatusCode.OK },
    attributes: c.mapValueFromPlain({ "http.request.method": "GET", "http.response.status_code": 200, "emp.job.id": `job-${i}`, "emp.ratio": 0.25 }).fields,
  }),
);

const receiver = fork(join(here, "support", "otlp-ack-server.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const [{ httpPort, grpcPort }] = (await once(receiver, "message")) as [{ httpPort: number; grpcPort: number }];

interface Contender {
  readonly name: string;
  readonly encode: (records: c.StandardTraceSpan[]) => EncodedBatch;
  readonly transport: Transport;
}
const contenders: Contender[] = [
  {
    name: "http/protobuf (default)",
    encode: encodeOtlpSpans,
    transport: createOtlpHttpTransport({ url: `http://127.0.0.1:${httpPort}/v1/traces` }),
  },
  {
    name: "http/json",
    encode: encodeOtlpSpansJson,
    transport: createOtlpHttpTransport({ url: `http://127.0.0.1:${httpPort}/v1/traces`, protocol: "http/json" }),
  },
  { name: "grpc (connect-node)", encode: encodeOtlpSpans, transport: createOtlpGrpcTransport({ url: `http://127.0.0.1:${grpcPort}` }) },
];

/** CPU ns per span of `batches` encode+send cycles (or sends of `encoded` alone), awaited one after another (as a sink sends). */
async function cpuPerSpan(contender: Contender, batches: number, encoded?: EncodedBatch): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < batches; i++) {
    const result = await contender.transport.send(encoded ?? contender.encode(spans));
    if (result.status !== "ok") throw new Error(`${contender.name}: ${result.error.message}`);
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / (batches * batchSpans);
}

for (const contender of contenders) await cpuPerSpan(contender, 200); // warm-up: connections open, the JIT settled
const samples = new Map(contenders.map((x) => [x.name, [] as number[]]));
const sendSamples = new Map(contenders.map((x) => [x.name, [] as number[]]));
const preEncoded = new Map(contenders.map((x) => [x.name, x.encode(spans)]));
for (let r = 0; r < rounds; r++) {
  for (const contender of contenders) {
    samples.get(contender.name)?.push(await cpuPerSpan(contender, batchesPerRound));
    sendSamples.get(contender.name)?.push(await cpuPerSpan(contender, batchesPerRound, preEncoded.get(contender.name)));
  }
}

/** CPU ns per span of `fn` over one batch, median of rounds. */
function encodeNs(fn: () => unknown): number {
  for (let i = 0; i < 20; i++) fn();
  const xs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 20; i++) fn();
    const used = process.cpuUsage(start);
    xs.push(((used.user + used.system) * 1000) / (20 * batchSpans));
  }
  return median(xs);
}
const message = fromBinary(ExportTraceServiceRequestSchema, encodeOtlpSpans(spans).body);
const protobufNs = encodeNs(() => encodeOtlpSpans(spans));
const encodeRows = [
  ["encodeOtlpSpans (protobuf, ours)", protobufNs],
  ["encodeOtlpSpansJson (OTLP/JSON, ours)", encodeNs(() => encodeOtlpSpansJson(spans))],
  ["protobuf-es toJsonString of the decoded request (base64 ids: not OTLP/JSON yet)", encodeNs(() => toJsonString(ExportTraceServiceRequestSchema, message))],
  [
    "protobuf-es fromBinary + toJsonString (the transcoding route)",
    encodeNs(() => toJsonString(ExportTraceServiceRequestSchema, fromBinary(ExportTraceServiceRequestSchema, encodeOtlpSpans(spans).body))),
  ],
] as const;

const base = median(samples.get(contenders[0]!.name) ?? []);
const text = [
  "## OTLP protocols: client CPU per span, encode + send",
  "",
  `Node ${process.version}; ${rounds} interleaved rounds of ${batchesPerRound} batches of ${batchSpans} spans per protocol, each batch ` +
    "encoded then sent and awaited; receivers in their own process answer OK without decoding; medians of process CPU " +
    "(user + system, all threads) per span; send alone: the same pre-encoded batch sent again. No compression (loopback). " +
    `Batch bytes: ${contenders.map((x) => `${x.name} ${preEncoded.get(x.name)?.bytes ?? 0}`).join(", ")}.`,
  "",
  "| protocol | encode + send, CPU ns/span | ratio to http/protobuf | send alone, CPU µs/batch |",
  "| --- | ---: | ---: | ---: |",
  ...contenders.map((x) => {
    const ns = median(samples.get(x.name) ?? []);
    const sendUs = (median(sendSamples.get(x.name) ?? []) * batchSpans) / 1000;
    return `| ${x.name} | ${ns.toFixed(0)} | ${(ns / base).toFixed(2)}× | ${sendUs.toFixed(0)} |`;
  }),
  "",
  `Encoding alone (CPU ns per span, batches of ${batchSpans}, medians):`,
  "",
  "| encoder | ns/span | ratio to protobuf |",
  "| --- | ---: | ---: |",
  ...encodeRows.map(([name, ns]) => `| ${name} | ${ns.toFixed(0)} | ${(ns / protobufNs).toFixed(2)}× |`),
  "",
].join("\n");
for (const x of contenders) await x.transport.close();
receiver.disconnect();
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "otlp-protocols.md"), text);
process.stdout.write(`${text}\n`);
