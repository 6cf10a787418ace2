import type { OtlpSignal } from "./otlp-endpoints.js";

/**
 * Another name accepted for a variable: an old name (`deprecated`, warned about) or an equal
 * alternative. `precedence` says what happens when it and the variable are both set and differ:
 * `"equal"` (the default) makes that a problem, `"wins"` takes this name's value with a warning
 * (`OTEL_SERVICE_NAME` over `SERVICE_NAME`, as OpenTelemetry does), `"fallback"` reads this name only
 * when no other is set (`NODE_ENV` for `TELEMETRY_ENV`).
 */
export interface EnvAlias {
  /** The other variable name. */
  readonly name: string;
  /** `true` for an old name kept for compatibility: using it adds a warning asking to rename it. */
  readonly deprecated: boolean;
  /** What happens when this name and another one are set and differ. Default `"equal"`. */
  readonly precedence?: "equal" | "wins" | "fallback";
}

/** One environment variable read by {@link resolveTelemetryConfig}: a row of {@link telemetryConfigEnv}. */
export interface EnvVariable {
  /** The variable's name. */
  readonly name: string;
  /** Other names read for the same setting; if several are set and differ, that is a problem (see {@link EnvAlias.precedence}). */
  readonly aliases: readonly EnvAlias[];
  /** The option (path in `TelemetryConfigOptions`) that wins over the variable, `-` when there is none. */
  readonly option: string;
  /** Whether the value is a secret: shown only as `[redacted]`. */
  readonly secret: boolean;
  /** A right value, used in problem messages. */
  readonly example: string;
  /** What it sets. */
  readonly description: string;
  /** What applies when neither the option nor the variable is set. */
  readonly whenUnset: string;
}

/** The per-signal part of an OTLP exporter variable: `` (every signal), `TRACES_`, `METRICS_`, `LOGS_`. */
export type OtlpSignalInfix = "" | "TRACES_" | "METRICS_" | "LOGS_";

/** The OTLP exporter settings that exist for every signal and for all of them. */
export type OtlpExporterSetting = "ENDPOINT" | "PROTOCOL" | "TIMEOUT" | "HEADERS" | "COMPRESSION" | "CERTIFICATE" | "INSECURE";

/** `OTEL_EXPORTER_OTLP_[SIGNAL_]<SETTING>`. */
export type OtlpExporterEnvName = `OTEL_EXPORTER_OTLP_${OtlpSignalInfix}${OtlpExporterSetting}`;

/** The name of one OTLP exporter variable: `otlpEnvName("traces", "PROTOCOL")` = `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`. */
export function otlpEnvName(signal: OtlpSignal | undefined, setting: OtlpExporterSetting): OtlpExporterEnvName {
  return `OTEL_EXPORTER_OTLP_${signal === undefined ? "" : (`${signal.toUpperCase()}_` as OtlpSignalInfix)}${setting}`;
}

/** Canonical names of the variables in {@link telemetryConfigEnv}. */
export type TelemetryEnvName =
  | "SERVICE_NAME"
  | "SERVICE_VERSION"
  | "SERVICE_TYPE"
  | "TELEMETRY_ENV"
  | "MACHINE_ID"
  | "WORKER_ID"
  | "FLUENTD_HOST"
  | "FLUENTD_PORT"
  | "FLUENTD_PROTOCOL"
  | "FLUENTD_TLS"
  | "FLUENTD_SHARED_KEY"
  | "FLUENT_BIT_ENABLED"
  | OtlpExporterEnvName
  | "OTEL_ENABLED"
  | "OTEL_SDK_DISABLED"
  | "OTEL_TRACES_EXPORTER"
  | "OTEL_METRICS_EXPORTER"
  | "OTEL_LOGS_EXPORTER"
  | "OTEL_RESOURCE_ATTRIBUTES"
  | "OTEL_LOG_LEVEL"
  | "OTEL_TRACES_SAMPLER"
  | "OTEL_TRACES_SAMPLER_ARG"
  | "OTEL_METRIC_EXPORT_INTERVAL"
  | "OTEL_METRIC_EXPORT_TIMEOUT"
  | "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"
  | "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"
  | "OTEL_ATTRIBUTE_COUNT_LIMIT"
  | "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT"
  | "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"
  | "OTEL_SPAN_EVENT_COUNT_LIMIT"
  | "OTEL_SPAN_LINK_COUNT_LIMIT"
  | "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT"
  | "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT"
  | "DASH0_API_KEY"
  | "DASH0_DATASET"
  | "DASH0_ENDPOINT"
  | "DASH0_TRACES_ENDPOINT"
  | "DASH0_METRICS_ENDPOINT"
  | "DASH0_LOGS_ENDPOINT"
  | "LOG_DIR"
  | "LOG_TO_FILE"
  | "TELEMETRY_DEBUG"
  | "TELEMETRY_LOGS"
  | "TELEMETRY_CONSOLE";

/** One row of the env table, as the row files write it. */
export type EnvRow = [name: TelemetryEnvName, aliases: EnvAlias[], option: string, secret: boolean, example: string, description: string, whenUnset: string];

/** An old name of a variable: read, with a warning to rename it. */
export const old = (name: string): EnvAlias => ({ name, deprecated: true });
/** An equal alternative name: read; if both are set they must agree. */
export const alt = (name: string): EnvAlias => ({ name, deprecated: false });
/** A name that wins over the variable when both are set and differ, with a warning. */
export const wins = (name: string): EnvAlias => ({ name, deprecated: false, precedence: "wins" });
/** A name read only when no other name of the setting is set. */
export const fallback = (name: string): EnvAlias => ({ name, deprecated: false, precedence: "fallback" });
