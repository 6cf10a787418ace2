// Our Fluentd sink (reliability layer + forward transport with ack + PackedForward encoder) side by
// side with fluent-logger 3.4.1 (plain and with ack), @fluent-org/logger (PackedForward with ack) and
// pino writing to /dev/null (the floor), in one process, interleaved rounds, one record shape.
// The receiver runs in its own process and counts what arrives: "delivered" means counted there.
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FluentClient } from "@fluent-org/logger";
import fluentLogger from "fluent-logger";
import pino from "pino";
import * as c from "../generated/index.js";
import { EmpTelemetryClient } from "../runtime/client/emp-telemetry-client.js";
import { createRepairCounts } from "../runtime/records/repair.js";
import { safeData } from "../runtime/records/safe-data.js";
import { median } from "./harness.js";

const recordsPerRound = Number(process.env.BENCH_RECORDS ?? 30_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const here = dirname(fileURLToPath(import.meta.url));

const message = "Server started";
const data = { port: 3001, "emp.job.id": "job-42", ok: true, route: "/jobs" };
const service = c.buildServiceMetadata({
  name: "api-server",
  type: c.ServiceType.API,
  environment: "production",
  version: "1.4.2",
  instanceId: "i-1",
  host: "api-7f9c",
});
const sampleRecord = c.standardLogEntryToFluentRecord(
  c.buildStandardLogEntry({ timeUnixNano: 1n, level: c.LogLevel.INFO, message, service, data: safeData(data, createRepairCounts()) }),
);

interface Receiver {
  readonly port: number;
  count(tag: string): Promise<number>;
  stop(): void;
}

async function startReceiver(): Promise<Receiver> {
  const child: ChildProcess = fork(join(here, "support/forward-count-server.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [first] = (await once(child, "message")) as [{ port: number }];
  return {
    port: first.port,
    async count(tag) {
      child.send({ get: tag });
      for (;;) {
        const [m] = (await once(child, "message")) as [{ tag?: string; count?: number }];
        if (m.tag === tag) return m.count ?? 0;
      }
    },
    stop: () => child.kill(),
  };
}

/** One contender: `setup` returns the per-record call and a way to wait until the library is idle. */
interface Contender {
  readonly name: string;
  readonly delivers: boolean;
  setup(port: number, tag: string): Promise<{ call: () => void; close: () => Promise<void> }>;
}

const contenders: Contender[] = [
  {
    name: "pino → /dev/null (sync), the floor",
    delivers: false,
    async setup() {
      const logger = pino(pino.destination({ dest: "/dev/null", sync: true }));
      return { call: () => logger.info(data, message), close: async () => undefined };
    },
  },
  {
    name: "@emp/telemetry log.info, PackedForward + ack",
    delivers: true,
    async setup(port, tag) {
      const client = new EmpTelemetryClient({
        env: {},
        serviceName: "api-server",
        serviceType: "api",
        environment: "production",
        fluentd: { host: "127.0.0.1", port },
        otlp: { traces: false },
        fluentdTag: `${tag}x`,
        handleExitSignals: false,
        registerGlobal: false,
        maxQueueBytes: 256 * 1024 * 1024,
      });
      return {
        call: () => client.log.info(message, data),
        close: async () => {
          await client.shutdown(30_000);
        },
      };
    },
  },
  {
    name: "@fluent-org/logger 1.0.10, PackedForward + ack",
    delivers: true,
    async setup(port, tag) {
      const client = new FluentClient(tag, { socket: { host: "127.0.0.1", port }, eventMode: "PackedForward", ack: {}, flushInterval: 20 });
      return {
        call: () => void client.emit("x", { ...sampleRecord }).catch(() => undefined),
        close: async () => {
          await client.shutdown();
        },
      };
    },
  },
  {
    name: "fluent-logger 3.4.1, Message mode",
    delivers: true,
    async setup(port, tag) {
      const sender = fluentLogger.createFluentSender(tag, { host: "127.0.0.1", port, reconnectInterval: 600_000 });
      return { call: () => sender.emit("x", { ...sampleRecord }), close: async () => sender.end(undefined as never, undefined as never, () => undefined) };
    },
  },
  {
    name: "fluent-logger 3.4.1, Message mode + ack",
    delivers: true,
    async setup(port, tag) {
      const sender = fluentLogger.createFluentSender(tag, {
        host: "127.0.0.1",
        port,
        reconnectInterval: 600_000,
        requireAckResponse: true,
        ackResponseTimeout: 60_000,
      });
      return { call: () => sender.emit("x", { ...sampleRecord }), close: async () => sender.end(undefined as never, undefined as never, () => undefined) };
    },
  },
];

interface Sample {
  callNs: number;
  deliveredPerSec: number;
  cpuNsPerRecord: number;
}

async function runOnce(contender: Contender, receiver: Receiver, round: number, n = recordsPerRound): Promise<Sample> {
  const tag = `bench.r${round < 0 ? "w" : round}.c${contenders.indexOf(contender)}.`;
  const { call, close } = await contender.setup(receiver.port, tag);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) call();
  const t1 = process.hrtime.bigint();
  const deadline = Date.now() + 120_000;
  if (contender.delivers) {
    // The others put their label after our tag (`<tag>.x`): the receiver counts by prefix.
    while ((await receiver.count(tag)) < n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const t2 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  await close();
  return {
    callNs: Number(t1 - t0) / n,
    deliveredPerSec: contender.delivers ? n / (Number(t2 - t0) / 1e9) : Number.NaN,
    cpuNsPerRecord: ((cpu.user + cpu.system) * 1000) / n,
  };
}

async function main(): Promise<void> {
  const receiver = await startReceiver();
  const samples = new Map<string, Sample[]>(contenders.map((k) => [k.name, []]));
  // A warm-up round (not recorded) so every contender runs JIT-compiled code.
  for (const contender of contenders) await runOnce(contender, receiver, -1, Math.min(5000, recordsPerRound));
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) samples.get(contender.name)!.push(await runOnce(contender, receiver, round));
  }
  receiver.stop();
  const rows = contenders.map((k) => {
    const s = samples.get(k.name)!;
    return { name: k.name, callNs: median(s.map((x) => x.callNs)), rate: median(s.map((x) => x.deliveredPerSec)), cpu: median(s.map((x) => x.cpuNsPerRecord)) };
  });
  const ours = rows.find((r) => r.name.startsWith("@emp"))!;
  const floor = rows[0]!;
  const fmt = (n: number): string => (Number.isNaN(n) ? "–" : Math.round(n).toLocaleString("en-US"));
  const lines = [
    "## Fluentd sink: caller cost, delivered records/s with ack, CPU per delivered record",
    "",
    `Node ${process.version}, ${rounds} interleaved rounds of ${recordsPerRound} records, medians; receiver in its own process on 127.0.0.1.`,
    "",
    "| contender | caller ns/call | × pino | delivered rec/s | ours ÷ it | CPU ns/record (client process) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${fmt(r.callNs)} | ${(r.callNs / floor.callNs).toFixed(2)} | ${fmt(r.rate)} | ` +
        `${Number.isNaN(r.rate) ? "–" : `${(ours.rate / r.rate).toFixed(2)}×`} | ${fmt(r.cpu)} |`,
    ),
    "",
  ];
  const { writeFileSync, mkdirSync } = await import("node:fs");
  mkdirSync(join(here, "results"), { recursive: true });
  writeFileSync(join(here, "results", "fluentd-sink.md"), lines.join("\n"));
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
