// Child of spool-spill-outage.test.ts and bench/spool-outage.bench.ts (fresh heap, --expose-gc): an API
// client with an 8 MiB queue bound and a disk spool logs `outage` entries while its Fluentd receiver is
// down, says `outage-done`, waits for `up` on stdin (the parent started the receiver), keeps logging
// `during` more entries over the drain, flushes, and prints one JSON report line: counters, heap after gc
// sampled throughout, and the time from `up` to every entry delivered. `spool=off` runs without a spool;
// then the spool's maxBytes (default 512 MiB), and how many entries to log once the drain is over (default 0).
import { createInterface } from "node:readline";
import { EmpTelemetryClient } from "../../../runtime/client/emp-telemetry-client.js";

const [portArg = "0", dir = "", outageArg = "0", duringArg = "0", spoolArg = "on", spoolBytesArg = String(512 * 1024 * 1024), afterArg = "0"] =
  process.argv.slice(2);
const outage = Number(outageArg);
const after = Number(afterArg);
const during = Number(duringArg);
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const maxQueueBytes = 8 * 1024 * 1024;
const padding = "p".repeat(120); // ≈ 200 bytes of protobuf per entry

const client = new EmpTelemetryClient({
  env: {},
  serviceName: "api-server",
  serviceType: "api",
  environment: "test",
  fluentd: { host: "127.0.0.1", port: Number(portArg) },
  otlp: { traces: false },
  maxQueueBytes,
  ...(spoolArg === "on" ? { spool: { dir, maxBytes: Number(spoolBytesArg) } } : {}),
  healthCheckIntervalMs: 500, // the periodic check wakes the breaker once the receiver is back
  handleExitSignals: false,
  registerGlobal: false,
});
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const mb = (n: number): number => Math.round(n / 1e5) / 10;

gc();
gc();
const base = process.memoryUsage();
let peakHeap = 0;
let peakRss = 0;
/** Heap after gc, and RSS, over the baseline: the queue's bound plus what the spool holds. */
const sample = (): void => {
  gc();
  const now = process.memoryUsage();
  peakHeap = Math.max(peakHeap, now.heapUsed - base.heapUsed);
  peakRss = Math.max(peakRss, now.rss - base.rss);
};

let seq = 0;
async function logEntries(count: number, perTurn: number, pauseMs: number): Promise<void> {
  for (let end = seq + count; seq < end; ) {
    for (let i = 0; i < perTurn && seq < end; i++, seq++) client.log.info("spill outage entry", { seq, padding });
    if (seq % 10_000 < perTurn) sample();
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    else await turn();
  }
}

await logEntries(outage, 500, 0);
await new Promise((resolve) => setTimeout(resolve, 300)); // the spool writes what is buffered
sample();
const atOutage = client.health().sinks[0];
process.stdout.write(`outage-done ${JSON.stringify({ queued: atOutage?.queued, dropped: atOutage?.droppedTotal })}\n`);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === "up") break;
const upMs = performance.now();
const sampler = setInterval(sample, 250);
await logEntries(during, 100, 20); // ≈ 5,000 entries/s keep arriving while the backlog drains
let flushed = await client.flush(90_000);
const drainMs = performance.now() - upMs;
if (after > 0) {
  await new Promise((resolve) => setTimeout(resolve, 200)); // delivered segments are deleted once closed and synced
  await logEntries(after, 100, 0);
  flushed = await client.flush(30_000);
}
clearInterval(sampler);
sample();
const sink = client.health().sinks[0];
process.stdout.write(
  `${JSON.stringify({
    status: flushed.status,
    drainMs: Math.round(drainMs),
    peakHeapGrowthMB: mb(peakHeap),
    peakRssGrowthMB: mb(peakRss),
    maxQueueBytes,
    sink,
    logged: seq,
  })}\n`,
);
await client.shutdown(1000);
process.exit(0);
