// CPU per delivered record of the built client: log.info to a forward receiver in its own process,
// with ack, 200k records after a warm-up; prints ns of this process's CPU per record.
// Mode (argv[2]): "burst" logs 40k records per event-loop turn, then flushes, five times;
// "steady" logs 100 records per turn, as a service does between its own I/O.
import { fork } from "node:child_process";
import { once } from "node:events";
import { EmpTelemetryClient } from "@emp/telemetry";
const mode = process.argv[2] ?? "burst";
const child = fork(new URL("./forward-count-server.ts", import.meta.url), [], {
  execArgv: ["--import", "tsx"],
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const [{ port }] = await once(child, "message");
const client = new EmpTelemetryClient({
  env: {},
  serviceName: "api-server",
  serviceType: "api",
  environment: "bench",
  fluentd: { host: "127.0.0.1", port },
  otlp: { traces: false },
  handleExitSignals: false,
  registerGlobal: false,
  maxQueueBytes: 512 * 1024 * 1024,
});
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
child.kill();
