// Caller cost of `log.info` (flat data: the forward entry written on the call by the direct route,
// then queued; I/O happens later in batches)
// against pino writing to /dev/null synchronously, the floor, in interleaved rounds. The client's
// Fluentd sink points at a receiver in its own process, which is drained between rounds.
import { fork } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { EmpTelemetryClient } from "../runtime/client/emp-telemetry-client.js";
import { type BenchResult, race, report } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const child = fork(join(here, "support/forward-count-server.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
const [{ port }] = (await once(child, "message")) as [{ port: number }];

const client = new EmpTelemetryClient({
  env: {},
  serviceName: "api-server",
  serviceType: "api",
  environment: "production",
  fluentd: { host: "127.0.0.1", port },
  otlp: { traces: false },
  handleExitSignals: false,
  registerGlobal: false,
  maxQueueBytes: 512 * 1024 * 1024,
});
const logger = pino(pino.destination({ dest: "/dev/null", sync: true }));
const message = "Server started";
const data = { port: 3001, "emp.job.id": "job-42", ok: true, route: "/jobs" };

const opsPerRound = 20_000;
const results: BenchResult[][] = [];
for (let i = 0; i < 3; i++) {
  // Rounds in separate races so the client's queue drains between them (await flush).
  results.push(
    race(
      [
        {
          name: "pino → /dev/null (sync)",
          run: (n) => {
            for (let k = 0; k < n; k++) logger.info(data, message);
          },
        },
        {
          name: "@emp/telemetry log.info",
          run: (n) => {
            for (let k = 0; k < n; k++) client.log.info(message, data);
          },
        },
      ],
      { rounds: 5, opsPerRound },
    ),
  );
  await client.flush(30_000);
}
const merged = results[0]!
  .map((r, i) => ({ ...r, medianNsPerOp: results.map((x) => x[i]!.medianNsPerOp).sort((a, b) => a - b)[1]!, medianOpsPerSec: 0 }))
  .map((r) => ({ ...r, medianOpsPerSec: 1e9 / r.medianNsPerOp }));
process.stdout.write(`${report("log-call", "Caller cost: log.info vs pino → /dev/null", merged, "pino → /dev/null (sync)")}\n`);
await client.shutdown(10_000);
child.kill();
