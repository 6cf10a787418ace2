// CPU per delivered record of the built client: log.info to a receiver in its own process, 200k
// records after a warm-up; prints ns of this process's CPU per record.
// Mode (argv[2]): "burst" logs 40k records per event-loop turn, then flushes, five times;
// "steady" logs 100 records per turn, as a service does between its own I/O.
// Sink (argv[3]): "forward" (default; Fluentd forward protocol with ack, to a receiver that acks each
// chunk as it arrives), "forward-decoding" (the same, to a receiver that decodes every entry before it
// acks: it falls behind in steady mode), "otlp" (OTLP logs over HTTP/protobuf, 2xx), "file"
// (`log.addFile`, NDJSON appended to a file in the temp directory).
// EMP_TELEMETRY_ENTRY (a path to a build's runtime/index.js) picks another build, for A/B runs.
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
const entry = process.env.EMP_TELEMETRY_ENTRY;
const { EmpTelemetryClient } = await import(entry === undefined ? "@emp/telemetry" : pathToFileURL(entry).href);
const mode = process.argv[2] ?? "burst";
const asked = process.argv[3] ?? "forward";
const sinkKind = asked === "forward-decoding" ? "forward" : asked;
const server = sinkKind === "forward" ? "./forward-count-server.ts" : sinkKind === "otlp" ? "./otlp-ack-server.ts" : undefined;
const child =
  server === undefined
    ? undefined
    : fork(new URL(server, import.meta.url), asked === "forward" ? ["frames"] : [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
const [ports] = child === undefined ? [{}] : await once(child, "message");
const dir = sinkKind === "file" ? mkdtempSync(join(tmpdir(), "emp-cpu-")) : undefined;
const sinks =
  sinkKind === "forward"
    ? { fluentd: { host: "127.0.0.1", port: ports.port }, otlp: { traces: false, metrics: false } }
    : sinkKind === "otlp"
      ? { fluentd: { enabled: false }, otlp: { endpoint: `http://127.0.0.1:${ports.httpPort}`, traces: false, metrics: false, logs: true } }
      : { fluentd: { enabled: false }, otlp: { enabled: false } };
const client = new EmpTelemetryClient({
  env: {},
  serviceName: "api-server",
  serviceType: "api",
  environment: "bench",
  ...sinks,
  handleExitSignals: false,
  registerGlobal: false,
  exitReport: false,
  configWarnings: false,
  maxQueueBytes: 512 * 1024 * 1024,
});
if (dir !== undefined) client.log.addFile(join(dir, "records.log"));
const data = { port: 3001, "emp.job.id": "job-42", ok: true, route: "/jobs" };
const turn = () => new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 20_000; i++) client.log.info("warm", data);
await client.flush(60_000);
const cpu0 = process.cpuUsage();
if (mode === "steady") {
  for (let r = 0; r < 2000; r++) {
    for (let i = 0; i < 100; i++) client.log.info("Server started", data);
    await turn();
  }
  await client.flush(60_000);
} else {
  for (let r = 0; r < 5; r++) {
    for (let i = 0; i < 40_000; i++) client.log.info("Server started", data);
    await client.flush(60_000);
  }
}
const cpu = process.cpuUsage(cpu0);
const h = client.health().totals;
process.stdout.write(String(h.delivered === 220_000 ? ((cpu.user + cpu.system) * 1000) / 200_000 : -1));
await client.shutdown(5000);
child?.kill();
if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
