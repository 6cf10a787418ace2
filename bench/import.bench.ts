// Import + construct time: `@emp/telemetry` (the built package, as services load it) against the
// OpenTelemetry trace SDK plus the OTLP/proto exporter alone. Fresh processes, alternating, medians.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_ROUNDS ?? 9);
const time = (file: string): number =>
  Number(execFileSync(process.execPath, [join(here, "support", file)], { encoding: "utf8", cwd: join(here, "..") }).trim());
const emp: number[] = [];
const otel: number[] = [];
for (let i = 0; i < runs; i++) {
  emp.push(time("import-emp.mjs"));
  otel.push(time("import-otel.mjs"));
}
const e = median(emp);
const o = median(otel);
const text = [
  "## Import + construct",
  "",
  `Node ${process.version}; ${runs} fresh processes each, alternating; medians. Needs \`npm run build\` (npm ci runs it).`,
  "",
  "| what | ms | ratio |",
  "| --- | ---: | ---: |",
  `| OpenTelemetry sdk-trace-base + exporter-trace-otlp-proto, provider with BatchSpanProcessor | ${o.toFixed(0)} | 1.00× |`,
  `| @emp/telemetry root export + new EmpTelemetryClient (all sinks configured) | ${e.toFixed(0)} | ${(e / o).toFixed(2)}× |`,
  "",
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "import.md"), text);
process.stdout.write(`${text}\n`);
