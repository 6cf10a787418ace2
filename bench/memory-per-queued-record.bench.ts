// Heap bytes per log record waiting in a sink's queue (a typical entry with 8 data keys whose values
// vary per record), of the built client, measured in fresh processes by bench/support/mem-emp.mjs,
// beside the queue's byte estimate for the same records (what its bound adds up; it must not be
// below the heap). Medians. BENCH_BASE_ENTRY=<another build's dist/runtime/index.js> adds that
// build as an A/B row.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_ROUNDS ?? 5);
const builds: { label: string; entry?: string }[] = [{ label: "this build" }];
if (process.env.BENCH_BASE_ENTRY !== undefined) builds.push({ label: process.env.BENCH_BASE_LABEL ?? "base build (A/B)", entry: process.env.BENCH_BASE_ENTRY });
const rows: string[] = [];
for (const build of builds) {
  const heap: number[] = [];
  const estimate: number[] = [];
  for (let i = 0; i < runs; i++) {
    const env = build.entry === undefined ? process.env : { ...process.env, EMP_TELEMETRY_ENTRY: build.entry };
    const out = execFileSync(process.execPath, ["--expose-gc", join(here, "support", "mem-emp.mjs")], { encoding: "utf8", cwd: join(here, ".."), env });
    const [h, e] = out.trim().split(" ").map(Number);
    heap.push(h!);
    estimate.push(e!);
  }
  rows.push(`| ${build.label} | ${median(heap).toFixed(0)} | ${median(estimate).toFixed(0)} |`);
}
const text = [
  "## Memory per queued log record (compiled, plain node)",
  "",
  `Node ${process.version}; ${runs} fresh processes; medians. The forward receiver unreachable (the sink holds its records ` +
    "back, as in an outage); 100k entries logged in one event-loop turn, 8 data keys each (2 integers past the shared small " +
    "ones, a double, a per-record string, 2 repeating strings, a small integer, a boolean); heap after full collections " +
    "minus before, per record. While the receiver answers, entries wait as they are (the base build's figure) for the " +
    "time of a batch, then as their batch's bytes. Needs `npm run build`.",
  "",
  "| build | heap bytes / queued record | queue byte estimate / record |",
  "| --- | ---: | ---: |",
  ...rows,
  "",
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "memory-per-queued-record.md"), text);
process.stdout.write(`${text}\n`);
