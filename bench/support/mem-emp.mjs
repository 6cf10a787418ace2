// Heap bytes per record waiting in a sink's queue, of the built client: the forward receiver is
// unreachable (port 9, refused), so the sink holds its records back as in an outage; 100k typical
// entries (8 data keys, values that vary per record as a service's do) are logged in one turn, so
// that none is encoded or sent, then the heap after full collections against the heap before.
// Prints `<heap bytes/record> <queue estimate bytes/record>`. Needs --expose-gc. Entry point
// overridable with EMP_TELEMETRY_ENTRY (a path), for A/B runs against another build.
import { pathToFileURL } from "node:url";
const entry = process.env.EMP_TELEMETRY_ENTRY;
const { EmpTelemetryClient } = await import(entry === undefined ? "@emp/telemetry" : pathToFileURL(entry).href);
const n = 100_000;
const client = new EmpTelemetryClient({
  env: {},
  serviceName: "api-server",
  serviceType: "api",
  environment: "bench",
  fluentd: { host: "127.0.0.1", port: 9 },
  otlp: { traces: false },
  metrics: { clientHealth: false },
  handleExitSignals: false,
  registerGlobal: false,
  exitReport: false,
  maxQueueBytes: 1024 * 1024 * 1024,
});
const routes = ["/jobs", "/jobs/:id", "/workers", "/health", "/machines/:id/status"];
const data = (i) => ({
  userId: 100_000 + (i % 5000),
  route: routes[i % routes.length],
  method: i % 3 === 0 ? "POST" : "GET",
  status: i % 20 === 0 ? 500 : 200,
  durationMs: 3.25 + (i % 97) / 7,
  cached: i % 2 === 0,
  "emp.job.id": `job-${i}`,
  bytes: 1024 + i,
});
// Warm the caches and the code the way a running service has them.
for (let i = 0; i < 2000; i++) client.log.info("request served", data(i));
await client.flush(2000);
const sink = () => client.health().sinks.find((s) => s.name === "fluentd-forward");
const inputs = Array.from({ length: n }, (_, i) => data(i)); // the caller's objects exist before and after
globalThis.gc();
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const queued0 = sink().queued;
const bytes0 = sink().queuedBytes;
for (let i = 0; i < n; i++) client.log.info("request served", inputs[i]);
globalThis.gc();
globalThis.gc();
const after = process.memoryUsage().heapUsed;
// The caller's objects stay alive past the measurement (else they would be collected in it).
if (inputs.length !== n) throw new Error("inputs lost");
const s = sink();
if (s.queued - queued0 !== n) throw new Error(`expected ${n} queued, found ${s.queued - queued0}`);
process.stdout.write(`${((after - before) / n).toFixed(1)} ${((s.queuedBytes - bytes0) / n).toFixed(1)}`);
await client.shutdown(100);
