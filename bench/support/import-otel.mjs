// Import + construct of the OpenTelemetry trace SDK and the OTLP/proto exporter alone; prints ms.
const t0 = performance.now();
const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
const _provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: "http://127.0.0.1:4318/v1/traces" }))] });
const t1 = performance.now();
console.log(t1 - t0);
process.exit(0);
