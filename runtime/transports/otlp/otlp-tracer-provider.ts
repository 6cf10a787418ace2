import type { AttributeValue } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type BufferConfig,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { TelemetryError } from "../../errors/telemetry-error.js";
import { createOtlpTraceExporter } from "./otlp-exporters.js";
import type { OtlpExporterOptions } from "./otlp-options.js";

/** Options of {@link createOtlpTracerProvider}. Every field is optional; see {@link otlpTracerProviderDefaults}. */
export interface OtlpTracerProviderOptions {
  /** Resource `service.name`. Env `OTEL_SERVICE_NAME`, then `SERVICE_NAME`. Default `unknown_service:node`. */
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

/** Environment variables read by {@link resolveOtlpTracerProviderOptions}, first match wins; code options win over them. */
export const otlpTracerProviderEnv = Object.freeze({
  serviceName: ["OTEL_SERVICE_NAME", "SERVICE_NAME"],
} as const);

/** {@link OtlpTracerProviderOptions} after defaults and env are applied. */
export interface ResolvedOtlpTracerProviderOptions {
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, AttributeValue>>;
  readonly exporter: Omit<OtlpExporterOptions, "signal">;
  readonly spanExporter: SpanExporter | undefined;
  readonly processor: "batch" | "simple";
  readonly batch: BufferConfig | undefined;
}

const knownKeys: ReadonlySet<string> = new Set(["serviceName", "resourceAttributes", "exporter", "spanExporter", "processor", "batch"]);

/**
 * Applies precedence (code > env > {@link otlpTracerProviderDefaults}) and checks the values this
 * module owns (exporter options are checked by the exporter).
 * @throws TelemetryError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveOtlpTracerProviderOptions(
  options: OtlpTracerProviderOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedOtlpTracerProviderOptions {
  const problems: string[] = [];
  for (const key of Object.keys(options)) if (!knownKeys.has(key)) problems.push(`${key} (no such option; known: ${[...knownKeys].join(", ")})`);
  const fromEnv = otlpTracerProviderEnv.serviceName.map((name) => env[name]).find((v) => v !== undefined && v !== "");
  const serviceName = options.serviceName ?? fromEnv ?? otlpTracerProviderDefaults.serviceName;
  if (typeof serviceName !== "string" || serviceName === "") problems.push(`serviceName=${JSON.stringify(serviceName)} (expected a name, e.g. "api")`);
  const processor = options.processor ?? otlpTracerProviderDefaults.processor;
  if (processor !== "batch" && processor !== "simple") problems.push(`processor=${JSON.stringify(processor)} (expected "batch" or "simple")`);
  const resourceAttributes = options.resourceAttributes ?? {};
  if (typeof resourceAttributes !== "object" || resourceAttributes === null) problems.push(`resourceAttributes=${String(resourceAttributes)} (expected { "service.version": "1.2.3" })`);
  if (problems.length > 0) throw new TelemetryError(`invalid OTLP tracer provider options: ${problems.join("; ")}`, "config_invalid");
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
 * @throws TelemetryError `config_invalid` on bad options (this or the exporter's).
 */
export function createOtlpTracerProvider(
  options?: OtlpTracerProviderOptions,
  env?: Readonly<Record<string, string | undefined>>,
): BasicTracerProvider {
  const resolved = resolveOtlpTracerProviderOptions(options, env);
  const exporter = resolved.spanExporter ?? createOtlpTraceExporter(resolved.exporter, env);
  const processor = resolved.processor === "simple" ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter, resolved.batch);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ ...resolved.resourceAttributes, "service.name": resolved.serviceName }),
    spanProcessors: [processor],
  });
}
