// One span burst of the built client (as bench/span-burst.bench.ts runs it), for a CPU profile
// (`node --cpu-prof bench/support/cpu-span.mjs span`): argv[2] "span" (`trace.span`) or "tracer"
// (`tracer.startSpan().end()`); BENCH_SPANS spans (default 100000) to an OTLP receiver in its own
// process. Prints ns per span (caller) and CPU ns per span. EMP_TELEMETRY_ENTRY picks another build;
// BURST_MARKS=1 prints the burst's start and end (performance.now()) to match `--trace-gc` lines.
import { fork } from "node:child_process";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
const entry = process.env.EMP_TELEMETRY_ENTRY;
const { EmpTelemetryClient } = await import(entry === undefined ? "@emp/telemetry" : pathToFileURL(entry).href);
const burst = Number(process.env.BENCH_SPANS ?? 100_000);
const viaSpan = (process.argv[2] ?? "span") === "span";
const child = fork(new URL("./otlp-count-server.ts", import.meta.url), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const [{ port }] = await once(child, "message");
const client = new EmpTelemetryClient({
  env: {},
  serviceName: "span-profile",
  serviceType: "api",
  environment: "bench",
  fluentd: { enabled: false },
  otlp: { tracesEndpoint: `http://127.0.0.1:${port}/v1/traces` },
  handleExitSignals: false,
  registerGlobal: false,
});
const step = () => 1;
const tracer = client.trace.tracer;
const c0 = process.cpuUsage();
if (process.env.BURST_MARKS) process.stderr.write(`burst start ${performance.now().toFixed(0)}\n`);
const t0 = process.hrtime.bigint();
if (viaSpan) for (let i = 0; i < burst; i++) client.trace.span("job.step", step);
else for (let i = 0; i < burst; i++) tracer.startSpan("job.step").end();
const ns = Number(process.hrtime.bigint() - t0) / burst;
const cpu = process.cpuUsage(c0);
if (process.env.BURST_MARKS) process.stderr.write(`burst end ${performance.now().toFixed(0)}\n`);
await client.flush(60_000);
const dropped = client.health().totals.droppedTotal;
await client.shutdown(5000);
child.send({ get: "span-profile" });
const [m] = await once(child, "message");
child.kill();
process.stdout.write(`${JSON.stringify({ ns: Math.round(ns), cpuNs: Math.round(((cpu.user + cpu.system) * 1000) / burst), dropped, received: m.count })}\n`);
