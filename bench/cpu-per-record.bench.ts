// CPU per delivered record of the built client (plain node, no transpiler in the process), with ack
// to a receiver in its own process, against pino → /dev/null, the floor. Two ways of logging: a
// burst (40k records per event-loop turn) and steady (100 per turn, as a service logs between its
// own I/O). Fresh processes, alternating, medians.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_ROUNDS ?? 7);
const cpu = (file: string, mode: string): number =>
  Number(execFileSync(process.execPath, [join(here, "support", file), mode], { encoding: "utf8", cwd: join(here, "..") }).trim());
const rows: string[] = [];
for (const mode of ["burst", "steady"] as const) {
  const ours: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(cpu("cpu-emp.mjs", mode));
    floor.push(cpu("cpu-pino.mjs", mode));
  }
  const o = median(ours);
  const p = median(floor);
  rows.push(`| ${mode} | pino → /dev/null (sync), the floor, no network | ${p.toFixed(0)} | 1.00× |`);
  rows.push(`| ${mode} | @emp/telemetry log.info → forward with ack, delivered | ${o.toFixed(0)} | ${(o / p).toFixed(2)}× |`);
}
const text = [
  "## CPU per delivered record (compiled, plain node)",
  "",
  `Node ${process.version}; ${runs} fresh processes per contender and mode, alternating; ` +
    "medians of process CPU (user + system, all threads) per record, 200k records. " +
    "burst: 40k records per event-loop turn; steady: 100 per turn. Needs `npm run build`.",
  "",
  "| mode | contender | CPU ns/record | ratio |",
  "| --- | --- | ---: | ---: |",
  ...rows,
  "",
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "cpu-per-record.md"), text);
process.stdout.write(`${text}\n`);
