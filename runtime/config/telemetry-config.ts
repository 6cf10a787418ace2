import type { ConsoleFormat } from "./console-format.js";
import type { ConfigHeaders, Secret } from "./secret.js";
import type { FluentdProtocol, ServiceType } from "./service-defaults.js";

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
  /** OTLP/HTTP export. */
  otlp?: {
    /** Base URL; `/v1/traces`, `/v1/logs` appended. Env `OTEL_EXPORTER_OTLP_ENDPOINT`. */
    endpoint?: string;
    /** Traces URL, used as is. Env `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (old: `OTEL_COLLECTOR_TRACES_ENDPOINT`). */
    tracesEndpoint?: string;
    /** Logs URL, used as is. Env `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`. */
    logsEndpoint?: string;
    /** Extra headers. Env `OTEL_EXPORTER_OTLP_HEADERS`. Values are secrets. */
    headers?: Readonly<Record<string, string>>;
    /** Gzip request bodies. Env `OTEL_EXPORTER_OTLP_COMPRESSION` (`gzip`/`none`). Default per service type. */
    gzip?: boolean;
    /** Export traces. Default per service type. */
    traces?: boolean;
    /** Export logs over OTLP too. Default per service type, or on when a logs endpoint is configured. */
    logs?: boolean;
  };
  /** Dash0, used as the OTLP target when its endpoint is set and no OTLP endpoint is. */
  dash0?: {
    /** OTLP/HTTP base URL. Env `DASH0_ENDPOINT`. */
    endpoint?: string;
    /** Auth token. Env `DASH0_API_KEY` (or `DASH0_AUTH_TOKEN`). Required with `endpoint`. Secret. */
    apiKey?: string;
    /** Dataset. Env `DASH0_DATASET`. Default none (Dash0's default dataset). */
    dataset?: string;
  };
  /** Directory of the NDJSON log files. Env `LOG_DIR`. Default per service type. */
  logDir?: string;
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

/** Where traces (and optionally logs) go over OTLP/HTTP. */
export interface OtlpConfig {
  /** Full traces URL, `undefined` when traces are not exported. */
  readonly tracesEndpoint: string | undefined;
  /** Full logs URL, `undefined` when logs are not exported over OTLP. */
  readonly logsEndpoint: string | undefined;
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

/** Dash0 settings as configured (whether or not Dash0 is the OTLP target: see {@link OtlpConfig.target}). */
export interface Dash0Config {
  /** OTLP/HTTP base URL. */
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
  /** What each log entry is also printed as on stdout (`off`: nothing). */
  readonly console: ConsoleFormat;
  /** Likely typos and old variable names found; log them at startup. */
  readonly warnings: readonly ConfigWarning[];
}
