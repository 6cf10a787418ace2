// CPU per record of pino writing to /dev/null synchronously (the floor): 200k records after a warm-up.
import pino from "pino";
const logger = pino(pino.destination({ dest: "/dev/null", sync: true }));
const data = { port: 3001, "emp.job.id": "job-42", ok: true, route: "/jobs" };
for (let i = 0; i < 20_000; i++) logger.info(data, "warm");
const cpu0 = process.cpuUsage();
for (let i = 0; i < 200_000; i++) logger.info(data, "Server started");
const cpu = process.cpuUsage(cpu0);
process.stdout.write(String(((cpu.user + cpu.system) * 1000) / 200_000));
