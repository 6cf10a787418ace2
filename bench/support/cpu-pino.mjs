// CPU per record of pino writing to /dev/null synchronously (the floor): 200k records after a
// warm-up, in the same modes as cpu-emp.mjs ("burst": 40k per event-loop turn; "steady": 100).
import pino from "pino";
const mode = process.argv[2] ?? "burst";
const logger = pino(pino.destination({ dest: "/dev/null", sync: true }));
const data = { port: 3001, "emp.job.id": "job-42", ok: true, route: "/jobs" };
const turn = () => new Promise((resolve) => setImmediate(resolve));
for (let i = 0; i < 20_000; i++) logger.info(data, "warm");
const perTurn = mode === "steady" ? 100 : 40_000;
const cpu0 = process.cpuUsage();
for (let r = 0; r < 200_000 / perTurn; r++) {
  for (let i = 0; i < perTurn; i++) logger.info(data, "Server started");
  await turn();
}
const cpu = process.cpuUsage(cpu0);
process.stdout.write(String(((cpu.user + cpu.system) * 1000) / 200_000));
