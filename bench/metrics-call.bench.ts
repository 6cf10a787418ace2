// Caller cost of `metrics.counter()` and `metrics.histogram()` against @opentelemetry/sdk-metrics'
// `Counter.add` and `Histogram.record` with the same attributes, in interleaved rounds, each in
// FRESH processes (JIT state differs from process to process): the medians of the per-process medians.
// Both sides aggregate in memory and export nothing during the run: the SDK's MeterProvider has a
// PeriodicExportingMetricReader (1 h interval, in-memory exporter) so it really aggregates; our
// client has no metrics endpoint, so its registry aggregates the same way and the timer never runs.
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { EmpTelemetryClient } from "../runtime/client/emp-telemetry-client.js";
import { type BenchResult, median, race, report } from "./harness.js";

const processes = 5;
const routes = ["/jobs", "/jobs/:id", "/machines", "/workers", "/health", "/auth", "/webhooks", "/metrics"];
const attributeSets = routes.map((route, i) => ({
  "http.route": route,
  "http.request.method": i % 2 === 0 ? "GET" : "POST",
  "http.response.status_code": 200,
}));

const names = {
  sdkCounter: "@opentelemetry/sdk-metrics Counter.add",
  ourCounter: "@emp/telemetry metrics.counter",
  sdkCounterLiteral: "sdk-metrics Counter.add, attributes literal per call",
  ourCounterLiteral: "metrics.counter, attributes literal per call",
  sdkHistogram: "@opentelemetry/sdk-metrics Histogram.record",
  ourHistogram: "@emp/telemetry metrics.histogram",
} as const;

/** One process: both sides, interleaved rounds; prints its medians as JSON on the IPC channel. */
function runOnce(): BenchResult[] {
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meter = new MeterProvider({ readers: [reader] }).getMeter("bench");
  const counter = meter.createCounter("http.server.requests");
  const histogram = meter.createHistogram("http.server.request.duration", { unit: "ms" });
  const client = new EmpTelemetryClient({
    env: {},
    serviceName: "api-server",
    serviceType: "api",
    environment: "production",
    fluentd: { enabled: false },
    otlp: { traces: false },
    handleExitSignals: false,
    registerGlobal: false,
  });
  const m = client.metrics;
  const opsPerRound = 200_000;
  const results = race(
    [
      { name: names.sdkCounter, run: (n) => void loop(n, (k) => counter.add(1, attributeSets[k & 7])) },
      { name: names.ourCounter, run: (n) => void loop(n, (k) => m.counter("http.server.requests", 1, attributeSets[k & 7])) },
      {
        name: names.sdkCounterLiteral,
        run: (n) => void loop(n, (k) => counter.add(1, { "http.route": routes[k & 7], "http.request.method": "GET", "http.response.status_code": 200 })),
      },
      {
        name: names.ourCounterLiteral,
        run: (n) =>
          void loop(n, (k) =>
            m.counter("http.server.requests", 1, { "http.route": routes[k & 7], "http.request.method": "GET", "http.response.status_code": 200 }),
          ),
      },
      { name: names.sdkHistogram, run: (n) => void loop(n, (k) => histogram.record(k & 1023, attributeSets[k & 7])) },
      { name: names.ourHistogram, run: (n) => void loop(n, (k) => m.histogram("http.server.request.duration", k & 1023, attributeSets[k & 7], "ms")) },
    ],
    { rounds: 7, opsPerRound },
  );
  const h = client.health().metrics;
  if (h === undefined || h.droppedTotal !== 0 || h.series !== 20) throw new Error(`unexpected metrics health: ${JSON.stringify(h)}`);
  return results;
}

function loop(n: number, f: (k: number) => void): void {
  for (let k = 0; k < n; k++) f(k);
}

if (process.argv.includes("--child")) {
  process.send?.(runOnce());
  process.disconnect?.();
} else {
  const perProcess: BenchResult[][] = [];
  for (let i = 0; i < processes; i++) {
    const child = fork(fileURLToPath(import.meta.url), ["--child"], {
      execArgv: ["--import", "tsx", "--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let results: BenchResult[] | undefined;
    child.on("message", (m) => {
      results = m as BenchResult[];
    });
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0 || results === undefined) throw new Error(`bench process ${String(i)} failed (exit ${String(code)})`);
    perProcess.push(results);
  }
  const merged = perProcess[0]!.map((r, i) => {
    const ns = median(perProcess.map((p) => p[i]!.medianNsPerOp));
    return { name: r.name, medianNsPerOp: ns, medianOpsPerSec: 1e9 / ns, rounds: r.rounds };
  });
  const pick = (...wanted: string[]): BenchResult[] => merged.filter((r) => wanted.includes(r.name));
  const note = `medians of ${String(processes)} fresh processes`;
  const counterTable = report(
    "metrics-counter",
    `Caller cost: metrics.counter vs sdk-metrics Counter.add, 3 attributes, 8 attribute sets (${note})`,
    pick(names.sdkCounter, names.ourCounter, names.sdkCounterLiteral, names.ourCounterLiteral),
    names.sdkCounter,
  );
  const histogramTable = report(
    "metrics-histogram",
    `Caller cost: metrics.histogram vs sdk-metrics Histogram.record, 3 attributes, 8 attribute sets (${note})`,
    pick(names.sdkHistogram, names.ourHistogram),
    names.sdkHistogram,
  );
  process.stdout.write(`${counterTable}\n${histogramTable}\n`);
}
