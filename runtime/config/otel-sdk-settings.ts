import { parseLimit, parseMilliseconds, parseRatio, parseSamplerName, parseTemporality } from "./parse-otel-values.js";
import { type SettingReader, settingValue } from "./read-setting.js";
import type { MetricsConfig, SpanLimitsConfig, TelemetryConfigOptions, TracingConfig } from "./telemetry-config.js";

/** OTel's defaults of the metrics export: 60 s interval, 30 s deadline, cumulative. */
export const metricsDefaults: MetricsConfig = Object.freeze({ exportIntervalMs: 60_000, exportTimeoutMs: 30_000, temporality: "cumulative" });

/** `OTEL_METRIC_EXPORT_INTERVAL`, `_TIMEOUT` and `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, options first. Never throws. */
export function readMetricsSettings(reader: SettingReader, o: NonNullable<TelemetryConfigOptions["metrics"]>): MetricsConfig {
  return {
    exportIntervalMs: settingValue(reader.read("OTEL_METRIC_EXPORT_INTERVAL", o.exportIntervalMs, parseMilliseconds)) ?? metricsDefaults.exportIntervalMs,
    exportTimeoutMs: settingValue(reader.read("OTEL_METRIC_EXPORT_TIMEOUT", o.exportTimeoutMs, parseMilliseconds)) ?? metricsDefaults.exportTimeoutMs,
    temporality: settingValue(reader.read("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", o.temporality, parseTemporality)) ?? metricsDefaults.temporality,
  };
}

const limitVariables = {
  attributeValueLengthLimit: "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
  attributeCountLimit: "OTEL_ATTRIBUTE_COUNT_LIMIT",
  spanAttributeValueLengthLimit: "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
  spanAttributeCountLimit: "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
  eventCountLimit: "OTEL_SPAN_EVENT_COUNT_LIMIT",
  linkCountLimit: "OTEL_SPAN_LINK_COUNT_LIMIT",
  eventAttributeCountLimit: "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
  linkAttributeCountLimit: "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
} as const satisfies Record<keyof SpanLimitsConfig, string>;

/** `OTEL_TRACES_SAMPLER`, `_ARG` and the attribute and span limits, options first. A ratio without a ratio sampler is a problem. */
export function readTracingSettings(reader: SettingReader, o: NonNullable<TelemetryConfigOptions["tracing"]>): TracingConfig {
  const sampler = settingValue(reader.read("OTEL_TRACES_SAMPLER", o.sampler, parseSamplerName)) ?? "parentbased_always_on";
  const argSetting = reader.read("OTEL_TRACES_SAMPLER_ARG", o.samplerArg, parseRatio);
  if (argSetting.status === "set" && !sampler.endsWith("traceidratio")) {
    reader.problem(
      argSetting.key,
      String(argSetting.value),
      false,
      `is only read by the traceidratio samplers, and the sampler is ${sampler}`,
      "OTEL_TRACES_SAMPLER=parentbased_traceidratio",
    );
  }
  const limits = Object.fromEntries(
    Object.entries(limitVariables).map(([key, name]) => [key, settingValue(reader.read(name, (o as Record<string, unknown>)[key], parseLimit))]),
  ) as unknown as SpanLimitsConfig;
  return { sampler, samplerArg: settingValue(argSetting) ?? 1, limits };
}
