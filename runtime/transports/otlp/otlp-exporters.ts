import { inspect } from "node:util";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import {
  redactOtlpExporterOptions,
  resolveOtlpExporterOptions,
  type OtlpExporterOptions,
  type ResolvedOtlpExporterOptions,
} from "./otlp-options.js";

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

/**
 * Creates OTel's OTLP/HTTP protobuf span exporter (`@opentelemetry/exporter-trace-otlp-proto`) from
 * our options: url, headers (Dash0 `Authorization: Bearer` and `Dash0-Dataset` when `dash0` is set),
 * gzip, a keep-alive agent (`maxSockets`) and `timeoutMs`.
 *
 * OTel's behaviour applies: it retries 429/502/503/504 and network errors itself (1 s × 1.5 backoff,
 * ≤ 5 s, Retry-After honoured) within `timeoutMs`, then reports `ExportResultCode.FAILED` to its span
 * processor; a `partial_success` is only logged through `diag`. We read no environment, but OTel's
 * exporter itself still merges `OTEL_EXPORTER_OTLP_*` from `process.env` under our explicit values.
 * `util.inspect` and `JSON.stringify` of the exporter show the redacted options only.
 *
 * @throws TelemetryConfigError `config_invalid` from {@link resolveOtlpExporterOptions} on bad options.
 */
export function createOtlpTraceExporter(options?: Omit<OtlpExporterOptions, "signal">): OTLPTraceExporter {
  const resolved = resolveOtlpExporterOptions({ ...options, signal: "traces" });
  return masked(new OTLPTraceExporter(exporterConfig(resolved)), "OTLPTraceExporter", resolved);
}

/**
 * Creates OTel's OTLP/HTTP protobuf log record exporter (`@opentelemetry/exporter-logs-otlp-proto`),
 * for an `sdk-logs` `LoggerProvider`; same options and behaviour as {@link createOtlpTraceExporter},
 * default path `/v1/logs`.
 *
 * @throws TelemetryConfigError `config_invalid` from {@link resolveOtlpExporterOptions} on bad options.
 */
export function createOtlpLogExporter(options?: Omit<OtlpExporterOptions, "signal">): OTLPLogExporter {
  const resolved = resolveOtlpExporterOptions({ ...options, signal: "logs" });
  return masked(new OTLPLogExporter(exporterConfig(resolved)), "OTLPLogExporter", resolved);
}

function exporterConfig(options: ResolvedOtlpExporterOptions): ExporterConfig {
  return {
    url: options.url,
    headers: { ...options.headers },
    compression: options.compression as NonNullable<ExporterConfig["compression"]>,
    keepAlive: options.keepAlive,
    httpAgentOptions: { keepAlive: options.keepAlive, maxSockets: options.maxSockets },
    timeoutMillis: options.timeoutMs,
  };
}

/** Makes `util.inspect` / `JSON.stringify` of an exporter show only the redacted options (its internals hold the headers). */
function masked<T extends object>(exporter: T, name: string, options: ResolvedOtlpExporterOptions): T {
  Object.defineProperties(exporter, {
    [inspect.custom]: { value: (_depth: number, inspectOptions: object) => `${name} ${inspect(redactOtlpExporterOptions(options), inspectOptions)}` },
    toJSON: { value: () => ({ name, options: redactOtlpExporterOptions(options) }) },
  });
  return exporter;
}
