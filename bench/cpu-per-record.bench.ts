// CPU per delivered record of the built client (plain node, no transpiler in the process), with ack
// to a receiver in its own process, against pino → /dev/null, the floor. Fresh processes, alternating, medians.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_ROUNDS ?? 5);
const cpu = (file: string): number => Number(execFileSync(process.execPath, [join(here, "support", file)], { encoding: "utf8", cwd: join(here, "..") }).trim());
const ours: number[] = [];
const floor: number[] = [];
for (let i = 0; i < runs; i++) {
  ours.push(cpu("cpu-emp.mjs"));
  floor.push(cpu("cpu-pino.mjs"));
}
const o = median(ours);
const p = median(floor);
const text = [
  "## CPU per delivered record (compiled, plain node)",
  "",
  `Node ${process.version}; ${runs} fresh processes each, alternating; medians of process CPU (user + system) per record. Needs \`npm run build\`.`,
  "",
  "| contender | CPU ns/record | ratio |",
  "| --- | ---: | ---: |",
  `| pino → /dev/null (sync), the floor, no network | ${p.toFixed(0)} | 1.00× |`,
  `| @emp/telemetry log.info → forward with ack, delivered | ${o.toFixed(0)} | ${(o / p).toFixed(2)}× |`,
  "",
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "cpu-per-record.md"), text);
process.stdout.write(text + "\n");
