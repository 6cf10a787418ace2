import type { ConsoleFormat } from "./console-format.js";
import type { ConfigHeaders, Secret } from "./secret.js";
import type { OtlpProtocol, OtlpSignal } from "./otlp-endpoints.js";
import type { TraceSamplerName } from "./trace-sampler-names.js";
import type { FluentdProtocol, ServiceType } from "./service-defaults.js";

/**
 * Per-signal OTLP options: `<signal><Setting>`, e.g. `tracesProtocol`, `logsTimeoutMs`; each wins
 * over `OTEL_EXPORTER_OTLP_<SIGNAL>_<SETTING>` and over the setting for every signal.
 */
export type OtlpPerSignalOptions = {
  [K in `${OtlpSignal}${"Protocol" | "TimeoutMs" | "Headers" | "Gzip" | "CertificateFile" | "Insecure"}`]?: K extends `${string}Protocol`
    ? OtlpProtocol
    : K extends `${string}TimeoutMs`
      ? number
      : K extends `${string}Headers`
        ? Readonly<Record<string, string>>
        : K extends `${string}Gzip` | `${string}Insecure`
          ? boolean
          : string;
};

/**
 * Options of {@link resolveTelemetryConfig}. Every field is optional; each wins over its
 * environment variable (named in its doc), which wins over the service-type defaults
 * ({@link serviceTypeDefaults}). Unknown keys are problems, like invalid values.
 */
export interface TelemetryConfigOptions {
  /** Service name. Env `SERVICE_NAME` or `OTEL_SERVICE_NAME`. Required. */
  serviceName?: string;
  /** Service type; picks the defaults. Env `SERVICE_TYPE`. Required. */
  serviceType?: ServiceType;
  /** Service version. Env `SERVICE_VERSION`. Default none. */
  serviceVersion?: string;
  /** Deployment environment, e.g. `production`. Env `TELEMETRY_ENV`. Required. */
  environment?: string;
  /** Machine id. Env `MACHINE_ID`. Required for `machine` and `worker`. */
  machineId?: string;
  /** Worker id. Env `WORKER_ID`. Required for `worker`. */
  workerId?: string;
  /** Instance id. No env. Default: a random UUID made once per process. */
  instanceId?: string;
  /** Fluentd sink. */
  fluentd?: {
    /** Whether logs go to Fluentd. Default per service type. */
    enabled?: boolean;
    /** `forward` or `http`. Env `FLUENTD_PROTOCOL`. Default `forward`. */
    protocol?: FluentdProtocol;
    /** Host. Env `FLUENTD_HOST`. Default per service type (`localhost`). */
    host?: string;
    /** Port. Env `FLUENTD_PORT`. Default 24224 for `forward`, 8888 for `http`. */
    port?: number;
    /** TLS. Env `FLUENTD_TLS` (old: `FLUENTD_SECURE`). Default `false`. */
    tls?: boolean;
    /** Forward-protocol shared key. Env `FLUENTD_SHARED_KEY`. Default none (no handshake). Secret. */
    sharedKey?: string;
  };
  /** OTLP export (every signal; `<signal><Setting>` keys for one signal: see {@link OtlpPerSignalOptions}). */
  otlp?: OtlpPerSignalOptions & {
    /** Export over OTLP at all. Env `OTEL_ENABLED`. Default `true`. */
    enabled?: boolean;
    /** Base URL; `/v1/<signal>` appended (HTTP), used as `host:port` (gRPC). Env `OTEL_EXPORTER_OTLP_ENDPOINT` (old: `OTEL_COLLECTOR_ENDPOINT`). */
    endpoint?: string;
    /** Traces URL, used as is. Env `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (old: `OTEL_COLLECTOR_TRACES_ENDPOINT`). */
    tracesEndpoint?: string;
    /** Logs URL, used as is. Env `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`. */
    logsEndpoint?: string;
    /** Metrics URL, used as is. Env `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (old: `OTEL_COLLECTOR_METRICS_ENDPOINT`). */
    metricsEndpoint?: string;
    /** Wire protocol. Env `OTEL_EXPORTER_OTLP_PROTOCOL`. Default `http/protobuf`. */
    protocol?: OtlpProtocol;
    /** Deadline of one export, in ms. Env `OTEL_EXPORTER_OTLP_TIMEOUT`. Default 10000. */
    timeoutMs?: number;
    /** PEM file of the CAs to trust, read at construction. Env `OTEL_EXPORTER_OTLP_CERTIFICATE`. Default Node's CAs. */
    certificateFile?: string;
    /**
     * Plain text (`true`) or TLS (`false`) for a gRPC endpoint given as `host:port`, without a scheme (a scheme wins).
     * Env `OTEL_EXPORTER_OTLP_INSECURE`. Default: plain text to a collector, TLS to Dash0.
     */
    insecure?: boolean;
    /** Extra headers. Env `OTEL_EXPORTER_OTLP_HEADERS`. Values are secrets. */
    headers?: Readonly<Record<string, string>>;
    /** Gzip request bodies. Env `OTEL_EXPORTER_OTLP_COMPRESSION` (`gzip`/`none`). Default per service type. */
    gzip?: boolean;
    /** Export traces. Env `OTEL_TRACES_EXPORTER` (`otlp`/`none`). Default per service type. */
    traces?: boolean;
    /** Export logs over OTLP. Env `OTEL_LOGS_EXPORTER`. Default: see the README's routing table. */
    logs?: boolean;
    /** Export metrics. Env `OTEL_METRICS_EXPORTER`. Default `true`. */
    metrics?: boolean;
  };
  /** Dash0, used as the OTLP target when its endpoint is set and no OTLP endpoint is. */
  dash0?: {
    /** OTLP base URL, a signal URL, or gRPC `host:port`. Env `DASH0_ENDPOINT`. */
    endpoint?: string;
    /** Traces endpoint, used as is. Env `DASH0_TRACES_ENDPOINT`. */
    tracesEndpoint?: string;
    /** Metrics endpoint, used as is. Env `DASH0_METRICS_ENDPOINT`. */
    metricsEndpoint?: string;
    /** Logs endpoint, used as is. Env `DASH0_LOGS_ENDPOINT`. */
    logsEndpoint?: string;
    /** Auth token. Env `DASH0_API_KEY` (or `DASH0_AUTH_TOKEN`). Required with `endpoint`. Secret. */
    apiKey?: string;
    /** Dataset. Env `DASH0_DATASET`. Default none (Dash0's default dataset). */
    dataset?: string;
  };
  /** Directory of the NDJSON log files. Env `LOG_DIR`. Default per service type. */
  logDir?: string;
  /** Keep NDJSON log files. Env `LOG_TO_FILE`. Default per service type (a `LOG_DIR` default). */
  logToFile?: boolean;
  /** Turn everything off: every call works, nothing is sent, opened or written. Env `OTEL_SDK_DISABLED`. Default `false`. */
  disabled?: boolean;
  /** Print our own lines on the console (warnings, diagnostics). Env `TELEMETRY_LOGS`. Default `true`. */
  consoleOutput?: boolean;
  /** Extra resource attributes (ours win on a clash). Env `OTEL_RESOURCE_ATTRIBUTES`. */
  resourceAttributes?: Readonly<Record<string, string>>;
  /** The tracer provider's sampler and span limits (OTel's names and defaults). */
  tracing?: {
    /** Env `OTEL_TRACES_SAMPLER`. Default `parentbased_always_on`. */
    sampler?: TraceSamplerName;
    /** Ratio of the `*traceidratio` samplers. Env `OTEL_TRACES_SAMPLER_ARG`. Default 1. */
    samplerArg?: number;
  } & { [K in keyof SpanLimitsConfig]?: number };
  /** Metrics export. */
  metrics?: {
    /** Env `OTEL_METRIC_EXPORT_INTERVAL`. Default 60000. */
    exportIntervalMs?: number;
    /** Env `OTEL_METRIC_EXPORT_TIMEOUT`. Default 30000. */
    exportTimeoutMs?: number;
    /** Env `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`. Default `cumulative`. */
    temporality?: "cumulative" | "delta";
  };
  /** Bound of each sink's queue, in bytes. No env. Default per service type. */
  maxQueueBytes?: number;
  /** Print diagnostics. Env `TELEMETRY_DEBUG`. Default `false`. */
  debug?: boolean;
  /** Also print each log entry on stdout (development): `pretty`, `json` or `off`. Env `TELEMETRY_CONSOLE`. Default `off`. */
  console?: ConsoleFormat;
}

/** A non-fatal finding about the configuration (a likely typo, an old variable name), in {@link TelemetryConfig.warnings}. */
export interface ConfigWarning {
  /** The variable or option concerned, e.g. `FLUENTD_HSOT`. */
  readonly key: string;
  /** What to do about it, e.g. `FLUENTD_HSOT is not read by @emp/telemetry; did you mean FLUENTD_HOST?`. */
  readonly message: string;
}

/** Who is emitting: the resource attributes every record carries. */
export interface ServiceIdentity {
  /** Service name (`service.name`). */
  readonly name: string;
  /** Service type. */
  readonly type: ServiceType;
  /** Deployment environment (`deployment.environment.name`). */
  readonly environment: string;
  /** Service version (`service.version`), if configured. */
  readonly version: string | undefined;
  /** Machine id; always set for `machine` and `worker`. */
  readonly machineId: string | undefined;
  /** Worker id; always set for `worker`. */
  readonly workerId: string | undefined;
  /** Instance id (`service.instance.id`): a random UUID per process unless given. */
  readonly instanceId: string;
  /** This host's name, `os.hostname()` (`host.name`). */
  readonly host: string;
}

/** Where logs go over Fluentd. */
export interface FluentdConfig {
  /** Whether the Fluentd sink is on. */
  readonly enabled: boolean;
  /** `forward` protocol or `http` (`in_http`). */
  readonly protocol: FluentdProtocol;
  /** Host name or IP address. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Whether to use TLS. */
  readonly tls: boolean;
  /** Forward-protocol shared key, if any; `sharedKey.reveal()` to use it. */
  readonly sharedKey: Secret | undefined;
}

/** How one OTLP signal is sent: protocol, deadline, trust, headers and compression. */
export interface OtlpSignalSettings {
  /** Wire protocol; `http/protobuf` unless configured. */
  readonly protocol: OtlpProtocol;
  /** Deadline of one export request, in milliseconds (OTel's default: 10000). */
  readonly timeoutMs: number;
  /** PEM text of the CA certificates to trust for `https` endpoints, `undefined` = Node's default CAs. */
  readonly certificate: string | undefined;
  /** Headers of this signal: `OTEL_EXPORTER_OTLP_HEADERS`, then the signal's own (winning per key), then Dash0's. */
  readonly headers: ConfigHeaders;
  /** Whether this signal's request bodies are gzipped. */
  readonly gzip: boolean;
}

/** Where traces (and optionally logs and metrics) go over OTLP. */
export interface OtlpConfig {
  /** Full traces URL, `undefined` when traces are not exported. */
  readonly tracesEndpoint: string | undefined;
  /** Full logs URL, `undefined` when logs are not exported over OTLP. */
  readonly logsEndpoint: string | undefined;
  /** Full metrics URL, `undefined` when metrics are not exported. With `grpc`, an endpoint is `http(s)://host:port`. */
  readonly metricsEndpoint: string | undefined;
  /** Protocol, deadline and CA of each signal. */
  readonly signals: Readonly<Record<OtlpSignal, OtlpSignalSettings>>;
  /**
   * Headers for both signals: `OTEL_EXPORTER_OTLP_HEADERS` (values are {@link Secret}s) plus, when
   * Dash0 is the target, `Authorization` (a Secret) and `Dash0-Dataset`. Send `revealHeaders(headers)`.
   */
  readonly headers: ConfigHeaders;
  /** Whether request bodies are gzipped. */
  readonly gzip: boolean;
  /** `dash0` when the endpoints came from `DASH0_ENDPOINT`, else `collector`. */
  readonly target: "collector" | "dash0";
}

/** Span limits passed to the tracer provider (OTel's `OTEL_*_LIMIT` variables); `undefined` = OTel's default. */
export interface SpanLimitsConfig {
  readonly attributeValueLengthLimit: number | undefined;
  readonly attributeCountLimit: number | undefined;
  readonly spanAttributeValueLengthLimit: number | undefined;
  readonly spanAttributeCountLimit: number | undefined;
  readonly eventCountLimit: number | undefined;
  readonly linkCountLimit: number | undefined;
  readonly eventAttributeCountLimit: number | undefined;
  readonly linkAttributeCountLimit: number | undefined;
}

/** The tracer provider's settings. */
export interface TracingConfig {
  /** The sampler (OTel's names). */
  readonly sampler: TraceSamplerName;
  /** Ratio 0..1 of the `*traceidratio` samplers. */
  readonly samplerArg: number;
  /** Span limits. */
  readonly limits: SpanLimitsConfig;
}

/** How metrics are exported (to `otlp.metricsEndpoint`). */
export interface MetricsConfig {
  /** Export interval, ms (`OTEL_METRIC_EXPORT_INTERVAL`, default 60000). */
  readonly exportIntervalMs: number;
  /** Deadline of one export, ms (`OTEL_METRIC_EXPORT_TIMEOUT`, default 30000). */
  readonly exportTimeoutMs: number;
  /** Aggregation temporality of counters and histograms (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`). */
  readonly temporality: "cumulative" | "delta";
}

/** Dash0 settings as configured (whether or not Dash0 is the OTLP target: see {@link OtlpConfig.target}). */
export interface Dash0Config {
  /** `DASH0_ENDPOINT` as given: a base URL, a signal URL or gRPC `host:port`. */
  readonly endpoint: string | undefined;
  /** Auth token; `apiKey.reveal()` to use it. */
  readonly apiKey: Secret | undefined;
  /** Dataset name. */
  readonly dataset: string | undefined;
}

/**
 * The resolved configuration: deep-frozen, every value checked. Secrets are {@link Secret}s, so
 * `util.inspect`, `JSON.stringify`, `String()` and spreading never show them.
 */
export interface TelemetryConfig {
  /** Service identity. */
  readonly service: ServiceIdentity;
  /** Fluentd sink. */
  readonly fluentd: FluentdConfig;
  /** OTLP export. */
  readonly otlp: OtlpConfig;
  /** Dash0 settings. */
  readonly dash0: Dash0Config;
  /** Directory of the NDJSON log files, `undefined` = no file sink. */
  readonly logDir: string | undefined;
  /** Bound of each sink's queue, in bytes. */
  readonly maxQueueBytes: number;
  /** Whether to print diagnostics. */
  readonly debug: boolean;
  /** `OTEL_SDK_DISABLED`: no sink, no socket, no file; every call still works. */
  readonly disabled: boolean;
  /** Whether our own console lines may be printed (`TELEMETRY_LOGS=false` turns them off). */
  readonly consoleOutput: boolean;
  /** Extra resource attributes from `OTEL_RESOURCE_ATTRIBUTES`, without the keys our own resource sets. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** Sampler and span limits of the tracer provider. */
  readonly tracing: TracingConfig;
  /** Metrics export settings. */
  readonly metrics: MetricsConfig;
  /** What each log entry is also printed as on stdout (`off`: nothing). */
  readonly console: ConsoleFormat;
  /** Likely typos and old variable names found; log them at startup. */
  readonly warnings: readonly ConfigWarning[];
}
