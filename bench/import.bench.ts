// Import + construct time: `@emp/telemetry` (the built package, as services load it) against the
// OpenTelemetry trace SDK plus the OTLP/proto exporter alone. Fresh processes, alternating, medians.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.BENCH_ROUNDS ?? 15);
const time = (file: string): number =>
  Number(execFileSync(process.execPath, [join(here, "support", file)], { encoding: "utf8", cwd: join(here, "..") }).trim());
const emp: number[] = [];
const otel: number[] = [];
for (let i = 0; i < runs; i++) {
  emp.push(time("import-emp.mjs"));
  otel.push(time("import-otel.mjs"));
}
const footprint = JSON.parse(execFileSync(process.execPath, [join(here, "support", "import-footprint.mjs")], { encoding: "utf8", cwd: join(here, "..") })) as {
  esm: string[];
  cjs: string[];
};
const ours = footprint.esm.filter((u) => u.includes("/dist/")).length;
const builtins = footprint.esm.filter((u) => u.startsWith("node:")).length;
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
  `| @emp/telemetry root export + new EmpTelemetryClient (defaults: Fluentd forward, OTLP traces and metrics) | ${e.toFixed(0)} | ${(e / o).toFixed(2)}× |`,
  "",
  `Modules the client loads (\`bench/support/import-footprint.mjs\`): ${ours} files of dist/, ${footprint.esm.length - ours - builtins} other ES modules, ` +
    `${builtins} Node built-ins, ${footprint.cjs.length} CommonJS files (the OpenTelemetry API and its async-hooks context manager).`,
  "",
].join("\n");
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "import.md"), text);
process.stdout.write(`${text}\n`);
