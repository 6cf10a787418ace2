import { type EnvRow, type OtlpExporterSetting, old, otlpEnvName } from "./env-row.js";
import type { OtlpSignal } from "./otlp-endpoints.js";

const signals: readonly (OtlpSignal | undefined)[] = [undefined, "traces", "metrics", "logs"];

/** `otlp.<key>` for every signal, `otlp.<signal><Key>` for one: `otlp.timeoutMs`, `otlp.tracesTimeoutMs`. */
function otlpOption(signal: OtlpSignal | undefined, key: string): string {
  return signal === undefined ? `otlp.${key}` : `otlp.${signal}${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

const endpointAliases: Readonly<Record<string, string>> = {
  all: "OTEL_COLLECTOR_ENDPOINT",
  traces: "OTEL_COLLECTOR_TRACES_ENDPOINT",
  metrics: "OTEL_COLLECTOR_METRICS_ENDPOINT",
};

/** The rows of one OTLP exporter setting, for every signal and then per signal (`OTEL_EXPORTER_OTLP_[SIGNAL_]<SETTING>`). */
function perSignalRows(
  setting: OtlpExporterSetting,
  key: string,
  example: (signal: string) => string,
  what: string | ((signal: string) => string),
  unsetForAll: string,
): EnvRow[] {
  return signals.map((signal): EnvRow => {
    const scope = signal === undefined ? "every signal" : `${signal}; wins over \`${otlpEnvName(undefined, setting)}\``;
    const alias = setting === "ENDPOINT" ? endpointAliases[signal ?? "all"] : undefined;
    const secret = setting === "HEADERS";
    const unset = signal === undefined ? unsetForAll : `\`${otlpEnvName(undefined, setting)}\`'s`;
    return [
      otlpEnvName(signal, setting),
      alias === undefined ? [] : [old(alias)],
      otlpOption(signal, key),
      secret,
      example(signal ?? ""),
      `${typeof what === "string" ? what : what(signal ?? "")} (${scope})`,
      unset,
    ];
  });
}

/** The OTLP exporter variables of the OTel spec, for every signal and per signal. */
export const otlpExporterRows: readonly EnvRow[] = [
  ...perSignalRows(
    "ENDPOINT",
    "endpoint",
    (s) => (s === "" ? "http://otel-collector:4318" : `http://otel-collector:4318/v1/${s}`),
    (s) =>
      s === ""
        ? "OTLP base endpoint: `/v1/<signal>` is appended for HTTP; gRPC takes `http(s)://host:port` or `host:port` as is"
        : "OTLP endpoint of the signal, used as is (gRPC: `host:port` too)",
    "Dash0 if set, else `http://localhost:4318` (gRPC: `:4317`)",
  ),
  ...perSignalRows("PROTOCOL", "protocol", () => "grpc", "`http/protobuf`, `http/json` or `grpc`", "`http/protobuf`"),
  ...perSignalRows("TIMEOUT", "timeoutMs", () => "10000", "deadline of one export, in milliseconds", "10000"),
  ...perSignalRows(
    "HEADERS",
    "headers",
    (s) => (s === "" ? "x-tenant=emp,authorization=Bearer%20token" : "x-tenant=emp"),
    "headers `k=v,k2=v2`, URL-decoded; values are secrets; per-signal keys win",
    "none",
  ),
  ...perSignalRows("COMPRESSION", "gzip", () => "gzip", "`gzip` or `none`", "service-type default"),
  ...perSignalRows(
    "CERTIFICATE",
    "certificateFile",
    () => "/etc/ssl/collector-ca.pem",
    "PEM file of the CA(s) to trust for `https`, read at startup",
    "Node's CAs",
  ),
  ...perSignalRows(
    "INSECURE",
    "insecure",
    () => "true",
    "gRPC endpoint given as `host:port` (no scheme): `true` plain text, `false` TLS; a scheme in the URL wins",
    "plain text to a collector, TLS to Dash0",
  ),
];

/** The other standard OpenTelemetry SDK variables we honour. */
export const otelSdkRows: readonly EnvRow[] = [
  ["OTEL_SDK_DISABLED", [], "disabled", false, "true", "`true`: every call works, nothing is sent, opened or written", "`false`"],
  [
    "OTEL_RESOURCE_ATTRIBUTES",
    [],
    "resourceAttributes",
    false,
    "team=gpu,cloud.region=us-east-1",
    "extra resource attributes `k=v,…` (percent-decoded) on spans and OTLP logs; ours win on a clash, with a warning",
    "none",
  ],
  [
    "OTEL_LOG_LEVEL",
    [],
    "-",
    false,
    "debug",
    "`debug`/`verbose`/`all` turn our diagnostics on (like `TELEMETRY_DEBUG`); `info`, `warn`, `error`, `none` leave them off",
    "`info`",
  ],
  ["OTEL_TRACES_EXPORTER", [], "otlp.traces", false, "none", "`otlp` or `none` (no traces exported)", "`otlp`"],
  ["OTEL_METRICS_EXPORTER", [], "otlp.metrics", false, "none", "`otlp` or `none` (no metrics exported)", "`otlp`"],
  ["OTEL_LOGS_EXPORTER", [], "otlp.logs", false, "otlp", "`otlp` (logs over OTLP too) or `none` (not over OTLP)", "see the routing table"],
  [
    "OTEL_TRACES_SAMPLER",
    [],
    "tracing.sampler",
    false,
    "parentbased_traceidratio",
    "`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`",
    "`parentbased_always_on`",
  ],
  ["OTEL_TRACES_SAMPLER_ARG", [], "tracing.samplerArg", false, "0.25", "ratio 0..1 of the `*traceidratio` samplers", "1"],
  ["OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", [], "tracing.attributeValueLengthLimit", false, "4096", "longest attribute value (span and event)", "no limit"],
  ["OTEL_ATTRIBUTE_COUNT_LIMIT", [], "tracing.attributeCountLimit", false, "128", "most attributes (span and event)", "128"],
  [
    "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    [],
    "tracing.spanAttributeValueLengthLimit",
    false,
    "4096",
    "longest span attribute value",
    "`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`",
  ],
  ["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", [], "tracing.spanAttributeCountLimit", false, "128", "most attributes of a span", "`OTEL_ATTRIBUTE_COUNT_LIMIT`"],
  ["OTEL_SPAN_EVENT_COUNT_LIMIT", [], "tracing.eventCountLimit", false, "128", "most events of a span", "128"],
  ["OTEL_SPAN_LINK_COUNT_LIMIT", [], "tracing.linkCountLimit", false, "128", "most links of a span", "128"],
  ["OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", [], "tracing.eventAttributeCountLimit", false, "128", "most attributes of a span event", "128"],
  ["OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", [], "tracing.linkAttributeCountLimit", false, "128", "most attributes of a span link", "128"],
  ["OTEL_METRIC_EXPORT_INTERVAL", [], "metrics.exportIntervalMs", false, "60000", "metrics export interval, in milliseconds", "60000"],
  ["OTEL_METRIC_EXPORT_TIMEOUT", [], "metrics.exportTimeoutMs", false, "30000", "deadline of one metrics export, in milliseconds", "30000"],
  [
    "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
    [],
    "metrics.temporality",
    false,
    "delta",
    "`cumulative`, `delta` or `lowmemory` (counters and histograms delta)",
    "`cumulative`",
  ],
];
