// `npm start`: the whole pipeline on one machine. Starts the local collector, runs the four example
// services against it (startup phases, three jobs from the API to the worker with progress and one
// failure, webhook deliveries), then prints what arrived: per-service counts, one job's trace across
// services, contract violations and the pipeline report. `--keep` leaves everything running for the
// live page until Ctrl-C.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Collector, startCollector } from "../runtime/collector/index.js";
import { resolveTelemetryConfig } from "../runtime/index.js";
import { createPipelineTests } from "../runtime/diagnostics/pipeline-tests.js";
import { formatConnectivityReport } from "../runtime/diagnostics/format-connectivity-report.js";
import { postJson } from "./http-json.js";
import { type ServiceProcess, startExampleServices, stopServices } from "./run-services.js";

const keep = process.argv.includes("--keep");
const deadlineMs = 60_000;
const print = (line = ""): void => void process.stdout.write(`${line}\n`);

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function summary(collector: Collector): void {
  const s = collector.status();
  print("Records per service (logs, spans, with contract violations):");
  for (const [name, c] of Object.entries(s.counts.byService).sort())
    print(`  ${name.padEnd(18)} logs ${String(c.logs).padStart(4)}  spans ${String(c.spans).padStart(4)}  invalid ${c.invalid}`);
  print();
  print("Inputs of the collector (records, errors):");
  for (const [hop, h] of Object.entries(s.hops))
    if (h.records > 0 || h.errors > 0) print(`  ${hop.padEnd(18)} ${String(h.records).padStart(5)} records  ${h.errors} errors`);
  print();
  print(`Contract violations: ${s.violations.total}`);
}

function jobTrace(collector: Collector, jobId: string): void {
  const spans = Object.values(collector.status().recent).flatMap((r) => r.spans);
  const withJob = spans.find((sp) => JSON.stringify(sp).includes(jobId));
  if (withJob === undefined) return;
  const traceId =
    (withJob as unknown as { record: { trace_id?: string; traceId?: string } }).record.trace_id ??
    (withJob as unknown as { record: { traceId?: string } }).record.traceId;
  if (traceId === undefined) return;
  print(`Trace of ${jobId} (${traceId}):`);
  for (const sp of spans.filter((x) => JSON.stringify(x).includes(traceId))) {
    const r = sp.record as Record<string, unknown>;
    print(`  ${String(r.name ?? "").padEnd(22)} ${String(sp.service).padEnd(18)} span ${String(r.span_id ?? r.spanId ?? "")}`);
  }
  print();
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "emp-demo-"));
  // Ephemeral ports, so the demo runs beside anything already listening on 24224 or 4318.
  const collector = await startCollector({
    dataDir,
    forwardPort: 0,
    httpPort: 0,
    otlpHttpPort: 0,
    otlpGrpcPort: 0,
    dash0Port: 0,
    statusPort: Number(process.env.EMP_DEMO_STATUS_PORT ?? 0),
  });
  const { ports } = collector;
  print(
    `Local collector on 127.0.0.1: forward ${ports.forward}, in_http ${ports.http}, ` +
      `OTLP/HTTP ${ports.otlpHttp}, OTLP/gRPC ${ports.otlpGrpc}, Dash0 stand-in ${ports.dash0}`,
  );
  print(`Live page: http://127.0.0.1:${ports.status}/   (records are also in ${dataDir})`);
  print();
  let services: ServiceProcess[] = [];
  try {
    services = await startExampleServices({ fluentdPort: ports.forward, otlpHttpPort: ports.otlpHttp });
    const api = services.find((s) => s.name === "api-server")!;
    const prompts = ["a cat in a spacesuit", "a watercolor harbor", "please fail this one"];
    const jobs: string[] = [];
    for (const prompt of prompts) jobs.push(String(((await postJson(`http://127.0.0.1:${api.port}/jobs`, { type: "txt2img", prompt })) as { id: string }).id));
    print(`Submitted ${jobs.length} jobs: ${jobs.join(", ")} (the last one fails on purpose)`);
    const delivered = (): number =>
      (collector.status().recent["webhook-service"]?.logs ?? []).filter((r) =>
        String((r.record as Record<string, unknown>).message ?? "").startsWith("webhook delivered"),
      ).length;
    await until("three webhook deliveries", () => delivered() >= jobs.length, deadlineMs);
    await until(
      "the machine's startup report",
      () => (collector.status().recent["gpu-machine"]?.logs ?? []).some((r) => String((r.record as Record<string, unknown>).message).includes("startup")),
      deadlineMs,
    );
    print("All jobs went API → worker → webhook; stopping the services (their telemetry flushes on SIGTERM).");
    print();
    if (!keep) await stopServices(services);
    await collector.flush();
    summary(collector);
    print();
    jobTrace(collector, jobs[0]!);
    // The pipeline report: a probe through every path, confirmed by the collector (the last hop).
    const probeConfig = resolveTelemetryConfig(
      {
        serviceName: "emp-telemetry-demo",
        serviceType: "api",
        environment: "demo",
        fluentd: { host: "127.0.0.1", port: ports.forward },
        otlp: { endpoint: `http://127.0.0.1:${ports.otlpHttp}`, logs: true },
        dash0: { endpoint: `http://127.0.0.1:${ports.dash0}`, apiKey: collector.options.dash0Token },
      },
      {},
    );
    const report = await createPipelineTests(probeConfig, { collectorUrl: `http://127.0.0.1:${ports.status}` }).connectivity();
    print(formatConnectivityReport(report));
    if (keep) {
      print("Running until Ctrl-C (--keep).");
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    }
    process.exitCode = collector.status().violations.total === 0 && report.ok ? 0 : 1;
  } finally {
    await stopServices(services);
    await collector.close();
  }
}

await main();
