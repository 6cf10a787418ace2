import type { AttributeValue } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type BufferConfig,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { OptionProblems } from "../../config/option-problems.js";
import { createOtlpTraceExporter } from "./otlp-exporters.js";
import type { OtlpExporterOptions } from "./otlp-options.js";

/** Options of {@link createOtlpTracerProvider}. Every field is optional; see {@link otlpTracerProviderDefaults}. */
export interface OtlpTracerProviderOptions {
  /** Resource `service.name` (`config.service.name` when built from the configuration). Default `unknown_service:node`. */
  serviceName?: string;
  /** More resource attributes (e.g. `service.version`, `deployment.environment.name`); `serviceName` wins. */
  resourceAttributes?: Readonly<Record<string, AttributeValue>>;
  /** Options of the OTLP exporter ({@link createOtlpTraceExporter}); ignored when `exporter` is given. */
  exporter?: Omit<OtlpExporterOptions, "signal">;
  /** Use this exporter instead of creating one (tests, or a wrapped exporter). */
  spanExporter?: SpanExporter;
  /** `batch` (OTel BatchSpanProcessor) or `simple` (one export per ended span, for tests). Default `batch`. */
  processor?: "batch" | "simple";
  /** BatchSpanProcessor settings (queue 2048, batch 512, 5000 ms delay, 30000 ms export timeout by default; env `OTEL_BSP_*`). */
  batch?: BufferConfig;
}

/** Defaults of {@link OtlpTracerProviderOptions}: OTel's default service name and its batch processor. */
export const otlpTracerProviderDefaults = Object.freeze({
  serviceName: "unknown_service:node",
  processor: "batch",
} as const);

/** {@link OtlpTracerProviderOptions} after defaults are applied. */
export interface ResolvedOtlpTracerProviderOptions {
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, AttributeValue>>;
  readonly exporter: Omit<OtlpExporterOptions, "signal">;
  readonly spanExporter: SpanExporter | undefined;
  readonly processor: "batch" | "simple";
  readonly batch: BufferConfig | undefined;
}

const knownKeys = ["serviceName", "resourceAttributes", "exporter", "spanExporter", "processor", "batch"] as const;

/**
 * Applies {@link otlpTracerProviderDefaults} to the options from code and checks the values this
 * module owns (exporter options are checked by the exporter). Reads no environment variable.
 * @throws TelemetryConfigError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveOtlpTracerProviderOptions(options: OtlpTracerProviderOptions = {}): ResolvedOtlpTracerProviderOptions {
  const problems = new OptionProblems("OTLP tracer provider");
  problems.unknownKeys(options, knownKeys);
  const serviceName = options.serviceName ?? otlpTracerProviderDefaults.serviceName;
  problems.text("serviceName", serviceName, "a name", '"api"');
  const processor = options.processor ?? otlpTracerProviderDefaults.processor;
  problems.oneOf("processor", processor, ["batch", "simple"] as const);
  const resourceAttributes = options.resourceAttributes ?? {};
  if (typeof resourceAttributes !== "object" || resourceAttributes === null) problems.add("resourceAttributes", resourceAttributes, "an object of attributes", '{ "service.version": "1.2.3" }');
  problems.throwIfAny();
  return Object.freeze({
    serviceName,
    resourceAttributes,
    exporter: options.exporter ?? {},
    spanExporter: options.spanExporter,
    processor,
    batch: options.batch,
  });
}

/**
 * Builds a real `BasicTracerProvider` (`@opentelemetry/sdk-trace-base`) with a resource
 * (`service.name` plus `resourceAttributes`) and one span processor over an OTLP/HTTP protobuf
 * exporter ({@link createOtlpTraceExporter}). It does not register itself globally; call
 * `trace.setGlobalTracerProvider(provider)` if you want that, and `await provider.shutdown()` to flush.
 *
 * Interim: with `processor: "batch"` OTel's BatchSpanProcessor buffers at most 2048 spans and drops
 * new ones (counted only in `diag`) when full, and gives up on a batch after the exporter's retries.
 * Our reliability layer (`runtime/reliability/`: a byte-bounded queue with drop reasons, retry with
 * jitter and a circuit breaker around a `Transport`) will replace it, feeding encoded batches to
 * `createOtlpHttpTransport`.
 *
 * @throws TelemetryConfigError `config_invalid` on bad options (this or the exporter's).
 */
export function createOtlpTracerProvider(options?: OtlpTracerProviderOptions): BasicTracerProvider {
  const resolved = resolveOtlpTracerProviderOptions(options);
  const exporter = resolved.spanExporter ?? createOtlpTraceExporter(resolved.exporter);
  const processor = resolved.processor === "simple" ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter, resolved.batch);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ ...resolved.resourceAttributes, "service.name": resolved.serviceName }),
    spanProcessors: [processor],
  });
}
