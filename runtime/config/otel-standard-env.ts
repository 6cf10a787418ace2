const signals = ["TRACES", "METRICS", "LOGS"] as const;
const perSignal = (suffix: string): string[] => [`OTEL_EXPORTER_OTLP_${suffix}`, ...signals.map((signal) => `OTEL_EXPORTER_OTLP_${signal}_${suffix}`)];

/**
 * Standard OpenTelemetry variables (SDK configuration spec and the common language SDKs). Those we do
 * not honour (not in the env table) get one warning each ({@link findUnhonouredOtelNames}), never a
 * "did you mean". Frozen.
 */
export const otelStandardEnvNames: ReadonlySet<string> = new Set([
  "OTEL_SDK_DISABLED",
  "OTEL_RESOURCE_ATTRIBUTES",
  "OTEL_SERVICE_NAME",
  "OTEL_LOG_LEVEL",
  "OTEL_PROPAGATORS",
  "OTEL_TRACES_SAMPLER",
  "OTEL_TRACES_SAMPLER_ARG",
  "OTEL_TRACES_EXPORTER",
  "OTEL_METRICS_EXPORTER",
  "OTEL_LOGS_EXPORTER",
  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
  ...perSignal("PROTOCOL"),
  ...perSignal("HEADERS"),
  ...perSignal("TIMEOUT"),
  ...perSignal("COMPRESSION"),
  ...perSignal("CERTIFICATE"),
  ...perSignal("CLIENT_KEY"),
  ...perSignal("CLIENT_CERTIFICATE"),
  ...perSignal("INSECURE"),
  "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
  "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION",
  "OTEL_METRIC_EXPORT_INTERVAL",
  "OTEL_METRIC_EXPORT_TIMEOUT",
  "OTEL_METRICS_EXEMPLAR_FILTER",
  "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
  "OTEL_ATTRIBUTE_COUNT_LIMIT",
  "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
  "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
  "OTEL_SPAN_EVENT_COUNT_LIMIT",
  "OTEL_SPAN_LINK_COUNT_LIMIT",
  "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
  "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
  "OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT",
  "OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT",
  "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT",
  "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT",
  "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
  "OTEL_EXPORTER_ZIPKIN_TIMEOUT",
  "OTEL_EXPORTER_PROMETHEUS_HOST",
  "OTEL_EXPORTER_PROMETHEUS_PORT",
  "OTEL_CONFIG_FILE",
  "OTEL_EXPERIMENTAL_CONFIG_FILE",
  "OTEL_EXPERIMENTAL_RESOURCE_DETECTORS",
]);

/** Prefixes of standard OpenTelemetry variable families (`OTEL_BSP_*` and so on), never reported as typos. */
export const otelStandardEnvPrefixes: readonly string[] = Object.freeze([
  "OTEL_BSP_",
  "OTEL_BLRP_",
  "OTEL_INSTRUMENTATION_",
  "OTEL_SEMCONV_",
  "OTEL_EXPORTER_JAEGER_",
  "OTEL_NODE_",
  "OTEL_NODEJS_",
  "OTEL_PYTHON_",
  "OTEL_JAVA_",
  "OTEL_JAVAAGENT_",
  "OTEL_DOTNET_",
  "OTEL_GO_",
  "OTEL_PHP_",
  "OTEL_RUBY_",
]);

/** Whether `name` is a standard OpenTelemetry variable (exact name or family prefix). */
export function isOtelStandardEnvName(name: string): boolean {
  return otelStandardEnvNames.has(name) || otelStandardEnvPrefixes.some((prefix) => name.startsWith(prefix));
}
