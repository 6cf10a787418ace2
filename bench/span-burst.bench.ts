// A burst of 100 000 spans at default settings: OpenTelemetry's BatchSpanProcessor (2048-span
// queue) with the OTLP/proto exporter, against our client's span path (byte-bounded sink). Both
// export to the same OTLP receiver in its own process, which counts what arrives.
import { trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { EmpTelemetryClient } from "../runtime/client/emp-telemetry-client.js";
import { startCountServer } from "./support/count-server-client.js";

const burst = Number(process.env.BENCH_SPANS ?? 100_000);
const receiver = await startCountServer("otlp-count-server.ts");
const url = `http://127.0.0.1:${receiver.port}/v1/traces`;
const rows: string[] = [];
const nsPer = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / burst;

/** OpenTelemetry's own path: BatchSpanProcessor (with `queue` spans of queue, or its default) and the OTLP/proto exporter. */
async function otelBsp(serviceName: string, label: string, queue?: number): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), queue === undefined ? {} : { maxQueueSize: queue, maxExportBatchSize: 512 })],
  });
  const tracer = provider.getTracer("bench");
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < burst; i++) tracer.startSpan("job.step").end();
  const callNs = nsPer(t0);
  // With a large queue, forceFlush starts more exports than the exporter allows at once
  // ("Concurrent export limit reached"): those batches are lost, and said only by the rejection.
  const flushError = await provider.forceFlush().then(
    () => "",
    (error: unknown) => `; forceFlush failed: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`,
  );
  const got = await receiver.waitFor(serviceName, burst, 10_000);
  rows.push(`| ${label} | ${callNs.toFixed(0)} | ${got} | ${(100 * (1 - got / burst)).toFixed(1)}% | not counted${flushError} |`);
  await provider.shutdown().catch(() => undefined);
}
await otelBsp("otel-bsp", "OpenTelemetry BatchSpanProcessor, defaults");
await otelBsp("otel-bsp-big", `OpenTelemetry BatchSpanProcessor, ${burst}-span queue`, burst);
{
  const client = new EmpTelemetryClient({
    env: {},
    serviceName: "emp-client",
    serviceType: "api",
    environment: "bench",
    fluentd: { enabled: false },
    otlp: { tracesEndpoint: url },
    handleExitSignals: false,
    registerGlobal: false,
  });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < burst; i++) client.trace.tracer.startSpan("job.step").end();
  const callNs = nsPer(t0);
  await client.flush(60_000);
  const got = await receiver.waitFor("emp-client", burst, 30_000);
  const h = client.health();
  rows.push(
    `| @emp/telemetry client, defaults (64 MiB span queue) | ${callNs.toFixed(0)} | ${got} | ` +
      `${(100 * (1 - got / burst)).toFixed(1)}% | ${h.totals.droppedTotal} dropped, counted |`,
  );
  await client.shutdown(5000);
}
receiver.stop();
void trace;
const text = [
  `## Span burst: ${burst} spans made as fast as possible, default settings`,
  "",
  `Node ${process.version}; one OTLP/HTTP receiver in its own process counts what arrives.`,
  "",
  "| span path | ns per span (caller) | spans delivered | lost | drops |",
  "| --- | ---: | ---: | ---: | --- |",
  ...rows,
  "",
].join("\n");
const { mkdirSync, writeFileSync } = await import("node:fs");
const { dirname, join } = await import("node:path");
const { fileURLToPath } = await import("node:url");
const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "span-burst.md"), text);
process.stdout.write(`${text}\n`);
