// A burst of 100 000 spans at default settings: OpenTelemetry's BatchSpanProcessor (2048-span
// queue) with the OTLP/proto exporter, against our client's span path (byte-bounded sink), both
// `tracer.startSpan().end()` and `trace.span(name, fn)`. Every path runs in FRESH processes (JIT and
// heap state differ from process to process), in interleaved rounds whose order turns (ABBA…), all
// exporting to one OTLP receiver in its own process, which counts what arrives: the medians of the
// rounds, their ratio to the BatchSpanProcessor's, and the worst delivery of any round.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { EmpTelemetryClient } from "../runtime/client/emp-telemetry-client.js";
import { median } from "./harness.js";
import { startCountServer } from "./support/count-server-client.js";

const burst = Number(process.env.BENCH_SPANS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

/** One path's run, from its process: caller wall time and process CPU per span, and what the path says it dropped. */
interface Run {
  readonly ns: number;
  readonly cpuNs: number;
  readonly drops: string;
}

const paths = {
  "otel-bsp": "OpenTelemetry BatchSpanProcessor, defaults: `startSpan().end()`",
  "otel-bsp-big": `OpenTelemetry BatchSpanProcessor, ${burst}-span queue`,
  "emp-tracer": "@emp/telemetry, defaults (64 MiB span queue): `tracer.startSpan().end()`",
  "emp-span": "@emp/telemetry, defaults: `trace.span(name, fn)`",
} as const;
type PathName = keyof typeof paths;

/** Times `make` over the burst: wall and CPU nanoseconds per span. */
function timed(make: () => void): { ns: number; cpuNs: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < burst; i++) make();
  const ns = Number(process.hrtime.bigint() - t0) / burst;
  const cpu = process.cpuUsage(c0);
  return { ns, cpuNs: ((cpu.user + cpu.system) * 1000) / burst };
}

/** OpenTelemetry's own path: BatchSpanProcessor (with `queue` spans of queue, or its default) and the OTLP/proto exporter. */
async function otelBsp(url: string, service: string, queue?: number): Promise<Run> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), queue === undefined ? {} : { maxQueueSize: queue, maxExportBatchSize: 512 })],
  });
  const tracer = provider.getTracer("bench");
  const t = timed(() => tracer.startSpan("job.step").end());
  // With a large queue, forceFlush starts more exports than the exporter allows at once
  // ("Concurrent export limit reached"): those batches are lost, and said only by the rejection.
  const flushError = await provider.forceFlush().then(
    () => "",
    (error: unknown) => `; forceFlush failed: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`,
  );
  await provider.shutdown().catch(() => undefined);
  return { ...t, drops: `not counted${flushError}` };
}

/** Our client's path, through its tracer or through `trace.span`. */
async function emp(url: string, service: string, viaSpan: boolean): Promise<Run> {
  const client = new EmpTelemetryClient({
    env: {},
    serviceName: service,
    serviceType: "api",
    environment: "bench",
    fluentd: { enabled: false },
    otlp: { tracesEndpoint: url },
    handleExitSignals: false,
    registerGlobal: false,
  });
  const step = (): number => 1;
  const t = viaSpan ? timed(() => client.trace.span("job.step", step)) : timed(() => client.trace.tracer.startSpan("job.step").end());
  await client.flush(60_000);
  const dropped = client.health().totals.droppedTotal;
  await client.shutdown(5000);
  return { ...t, drops: `${dropped} dropped, counted` };
}

/** A child process: runs one path against the receiver at `port`, prints its Run as JSON. */
async function child(path: PathName, port: number, service: string): Promise<void> {
  const url = `http://127.0.0.1:${port}/v1/traces`;
  const run =
    path === "otel-bsp"
      ? await otelBsp(url, service)
      : path === "otel-bsp-big"
        ? await otelBsp(url, service, burst)
        : await emp(url, service, path === "emp-span");
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

if (process.argv[2] === "child") {
  await child(process.argv[3] as PathName, Number(process.argv[4]), process.argv[5]!);
  process.exit(0);
}

const loadAtStart = loadavg()[0]!;
const receiver = await startCountServer("otlp-count-server.ts");
const names = Object.keys(paths) as PathName[];
const runs = new Map<PathName, (Run & { got: number })[]>(names.map((n) => [n, []]));

/** Spans of `service` received once the count reaches the burst or stops growing for half a second. */
async function settledCount(service: string): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const n = await receiver.count(service);
    if (n !== last) [last, stableSince] = [n, Date.now()];
    if (n >= burst || Date.now() - stableSince > 500) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? names : [...names].reverse();
  for (const path of order) {
    const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "child", path, String(receiver.port), `${path}-${r}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    const run = JSON.parse(out.trim().split("\n").at(-1)!) as Run;
    runs.get(path)!.push({ ...run, got: await settledCount(`${path}-${r}`) });
  }
}
receiver.stop();

const base = median(runs.get("otel-bsp")!.map((x) => x.ns));
const rows = names.map((path) => {
  const rs = runs.get(path)!;
  const ns = median(rs.map((x) => x.ns));
  const worst = Math.min(...rs.map((x) => x.got));
  const range = `${Math.min(...rs.map((x) => x.ns)).toFixed(0)}–${Math.max(...rs.map((x) => x.ns)).toFixed(0)}`;
  return (
    `| ${paths[path]} | ${ns.toFixed(0)} (${range}) | ${(ns / base).toFixed(2)}× | ${median(rs.map((x) => x.cpuNs)).toFixed(0)} | ` +
    `${worst} | ${(100 * (1 - worst / burst)).toFixed(1)}% | ${rs.at(-1)!.drops} |`
  );
});
const text = [
  `## Span burst: ${burst} spans made as fast as possible, default settings`,
  "",
  `Node ${process.version}, ${cpus().length} cores, load average ${loadAtStart.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}; ${rounds} rounds,`,
  "each path in a fresh process per round, the order turning every round; one OTLP/HTTP receiver in its own process counts what",
  "arrives. ns per span: median of the rounds (range); CPU: the process's user + system time over the burst (GC threads",
  "included); delivered and lost: the worst round.",
  "",
  "| span path | ns per span (caller) | vs BatchSpanProcessor | CPU ns per span | spans delivered | lost | drops (last round) |",
  "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
  ...rows,
  "",
].join("\n");
const { mkdirSync, writeFileSync } = await import("node:fs");
const { dirname, join } = await import("node:path");
const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "span-burst.md"), text);
process.stdout.write(`${text}\n`);
