/** The kinds of service this library configures itself for. */
export type ServiceType = "api" | "webhook" | "machine" | "worker";

/** Every {@link ServiceType}, in table order. */
export const serviceTypes: readonly ServiceType[] = Object.freeze(["api", "webhook", "machine", "worker"]);

/**
 * How logs reach Fluentd: `forward` is the Fluentd forward protocol (msgpack over TCP, acks, shared
 * key), `http` is Fluentd's `in_http` input (JSON over HTTP), as the seed's machines used.
 */
export type FluentdProtocol = "forward" | "http";

/** Every {@link FluentdProtocol}. */
export const fluentdProtocols: readonly FluentdProtocol[] = Object.freeze(["forward", "http"]);

/**
 * The port used when none is configured, by protocol: 24224 is the forward protocol's standard
 * port; 8888 is `in_http`'s conventional port (the seed's Fluentd listened there).
 */
export const fluentdDefaultPorts: Readonly<Record<FluentdProtocol, number>> = Object.freeze({ forward: 24224, http: 8888 });

/** The defaults of one service type: one row of {@link serviceTypeDefaults}. */
export interface ServiceTypeDefaults {
  /** What such a service is. */
  readonly description: string;
  /** Whether `MACHINE_ID` must be set. */
  readonly requiresMachineId: boolean;
  /** Whether `WORKER_ID` must be set. */
  readonly requiresWorkerId: boolean;
  /** Whether logs go to Fluentd. */
  readonly fluentdEnabled: boolean;
  /** Fluentd (or Fluent Bit) host when `FLUENTD_HOST` is not set. */
  readonly fluentdHost: string;
  /** Protocol when `FLUENTD_PROTOCOL` is not set; the port then follows {@link fluentdDefaultPorts}. */
  readonly fluentdProtocol: FluentdProtocol;
  /** Whether Fluentd is reached over TLS when `FLUENTD_TLS` is not set. */
  readonly fluentdTls: boolean;
  /** OTLP/HTTP base URL when neither `OTEL_EXPORTER_OTLP_*ENDPOINT` nor Dash0 is set (OTel's own default). */
  readonly otlpEndpoint: string;
  /** Whether traces are exported over OTLP. */
  readonly otlpTraces: boolean;
  /** Whether logs are also exported over OTLP (besides Fluentd). */
  readonly otlpLogs: boolean;
  /** Whether OTLP request bodies are gzipped when `OTEL_EXPORTER_OTLP_COMPRESSION` is not set. */
  readonly otlpGzip: boolean;
  /** Directory of the local NDJSON log files (tailed by Fluent Bit) when `LOG_DIR` is not set; `undefined` = no file sink. */
  readonly logDir: string | undefined;
  /** Bound of each sink's queue, in bytes. */
  readonly maxQueueBytes: number;
}

const mebibyte = 1024 * 1024;

/**
 * Defaults per service type, the one table of them (frozen, rows and all). APIs and webhooks are
 * long-lived servers next to a local Fluent Bit / collector and keep no log files; machines and
 * workers run on rented GPU hosts, keep NDJSON files under `/workspace/logs` for Fluent Bit to tail,
 * must say which machine (and worker) they are, and get bigger queues to ride out WAN outages.
 * {@link renderServiceDefaultsTable} prints it for the README.
 */
export const serviceTypeDefaults: Readonly<Record<ServiceType, ServiceTypeDefaults>> = Object.freeze({
  api: Object.freeze({
    description: "HTTP API server",
    requiresMachineId: false,
    requiresWorkerId: false,
    fluentdEnabled: true,
    fluentdHost: "localhost",
    fluentdProtocol: "forward",
    fluentdTls: false,
    otlpEndpoint: "http://localhost:4318",
    otlpTraces: true,
    otlpLogs: false,
    otlpGzip: true,
    logDir: undefined,
    maxQueueBytes: 8 * mebibyte,
  }),
  webhook: Object.freeze({
    description: "webhook receiver / sender",
    requiresMachineId: false,
    requiresWorkerId: false,
    fluentdEnabled: true,
    fluentdHost: "localhost",
    fluentdProtocol: "forward",
    fluentdTls: false,
    otlpEndpoint: "http://localhost:4318",
    otlpTraces: true,
    otlpLogs: false,
    otlpGzip: true,
    logDir: undefined,
    maxQueueBytes: 4 * mebibyte,
  }),
  machine: Object.freeze({
    description: "GPU machine (startup, health, services)",
    requiresMachineId: true,
    requiresWorkerId: false,
    fluentdEnabled: true,
    fluentdHost: "localhost",
    fluentdProtocol: "forward",
    fluentdTls: false,
    otlpEndpoint: "http://localhost:4318",
    otlpTraces: true,
    otlpLogs: false,
    otlpGzip: true,
    logDir: "/workspace/logs",
    maxQueueBytes: 16 * mebibyte,
  }),
  worker: Object.freeze({
    description: "job worker on a machine",
    requiresMachineId: true,
    requiresWorkerId: true,
    fluentdEnabled: true,
    fluentdHost: "localhost",
    fluentdProtocol: "forward",
    fluentdTls: false,
    otlpEndpoint: "http://localhost:4318",
    otlpTraces: true,
    otlpLogs: false,
    otlpGzip: true,
    logDir: "/workspace/logs",
    maxQueueBytes: 16 * mebibyte,
  }),
});

const rows: ReadonlyArray<readonly [label: string, show: (row: ServiceTypeDefaults) => string]> = [
  ["what it is", (row) => row.description],
  ["`MACHINE_ID` required", (row) => yesNo(row.requiresMachineId)],
  ["`WORKER_ID` required", (row) => yesNo(row.requiresWorkerId)],
  ["Fluentd sink", (row) => onOff(row.fluentdEnabled)],
  ["`FLUENTD_HOST` default", (row) => code(row.fluentdHost)],
  ["`FLUENTD_PROTOCOL` default", (row) => `${code(row.fluentdProtocol)} (port ${String(fluentdDefaultPorts[row.fluentdProtocol])})`],
  ["`FLUENTD_TLS` default", (row) => code(String(row.fluentdTls))],
  ["OTLP traces", (row) => onOff(row.otlpTraces)],
  ["OTLP logs", (row) => onOff(row.otlpLogs)],
  ["`OTEL_EXPORTER_OTLP_ENDPOINT` default", (row) => code(row.otlpEndpoint)],
  ["OTLP gzip", (row) => onOff(row.otlpGzip)],
  ["`LOG_DIR` default (file sink)", (row) => (row.logDir === undefined ? "none (off)" : code(row.logDir))],
  ["queue bound per sink", (row) => `${String(row.maxQueueBytes / mebibyte)} MiB`],
];

/**
 * The {@link serviceTypeDefaults} table as GitHub markdown (a row per setting, a column per
 * service type), for the README. Pure; never throws.
 */
export function renderServiceDefaultsTable(): string {
  const header = `| setting | ${serviceTypes.map(code).join(" | ")} |`;
  const rule = `| --- | ${serviceTypes.map(() => "---").join(" | ")} |`;
  const body = rows.map(([label, show]) => `| ${label} | ${serviceTypes.map((type) => show(serviceTypeDefaults[type])).join(" | ")} |`);
  return `${[header, rule, ...body].join("\n")}\n`;
}

function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

function onOff(value: boolean): string {
  return value ? "on" : "off";
}

function code(value: string): string {
  return `\`${value}\``;
}
