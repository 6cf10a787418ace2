import { getOption } from "@bufbuild/protobuf";
import { mapping, ServiceMetadataSchema } from "../../../generated/index.js";
import { telemetryConfigEnv } from "../../config/env-table.js";
import { TelemetryConfigError, type ConfigProblem } from "../../errors/telemetry-config-error.js";
import { datasetPattern, plainHttpUrl } from "../option-checks.js";
import { renderYamlDocument, type YamlValue } from "../yaml.js";

/** Options of {@link renderCollectorConfig}. */
export interface CollectorConfigOptions {
  /**
   * Dash0 OTLP/HTTP base URL (`https://ingress.eu-west-1.aws.dash0.com`; the exporter appends
   * `/v1/traces`, `/v1/logs`, `/v1/metrics`). Default: `${env:DASH0_ENDPOINT}`, read by the
   * collector when it starts (the variable the client reads too).
   */
  readonly dash0Endpoint?: string;
  /** Dash0 dataset, sent as `Dash0-Dataset`. Default `default` (Dash0's default dataset). */
  readonly dataset?: string;
  /** Address the OTLP receivers bind. Default `0.0.0.0` (services in other containers send to it). */
  readonly listen?: string;
  /** OTLP/gRPC port. Default 4317. */
  readonly grpcPort?: number;
  /** OTLP/HTTP port. Default 4318. */
  readonly httpPort?: number;
  /**
   * The collector runs on one machine (a sidecar of a GPU machine): also insert `emp.machine.id`
   * from `${env:MACHINE_ID}`. Default `false` (a shared collector knows no machine).
   */
  readonly perMachine?: boolean;
  /**
   * Directory of the `file_storage` extension that holds the exporter's persistent sending queue:
   * batches Dash0 has not taken survive a collector restart and wait there while retries run.
   * Default `/var/lib/otelcol/file_storage` (the collector creates it; mount a volume there).
   */
  readonly storageDir?: string;
}

/**
 * Defaults of {@link CollectorConfigOptions}, and the fixed settings:
 * - `batch` 8192 records or 5 s, whichever first (Dash0 takes large gzip batches well).
 * - `memory_limiter` at 80 % of the memory, spikes 25 %: refuses data (OTLP clients retry) before
 *   the collector is OOM-killed.
 * - exporter `retry_on_failure` for up to 72 h (as `fluentd-config`'s file buffer) with a 5000-batch
 *   `sending_queue` kept on disk by the `file_storage/emp` extension (`storageDir`), so an outage or
 *   a restart of the collector loses nothing queued; what still fails after 72 h, or does not fit,
 *   is dropped and counted in the collector's own metrics (`otelcol_exporter_send_failed_*`,
 *   `otelcol_exporter_enqueue_failed_*`). `file_storage` ships in `otelcol-contrib` (and the k8s
 *   distribution), not in the core `otelcol`.
 */
export const collectorConfigDefaults = Object.freeze({
  dash0EndpointRef: "${env:DASH0_ENDPOINT}",
  dataset: "default",
  listen: "0.0.0.0",
  grpcPort: 4317,
  httpPort: 4318,
  perMachine: false,
  exporterName: "otlphttp/dash0",
  resourceProcessorName: "resource/emp",
  apiKeyEnv: "DASH0_API_KEY",
  storageDir: "/var/lib/otelcol/file_storage",
  storageName: "file_storage/emp",
  retryMaxElapsed: "72h",
});

/** A resource attribute the collector inserts: the contract's key and the variable its value comes from. */
export interface CollectorResourceAttribute {
  /** Attribute key, from the contract (`(emp.telemetry.v1.mapping).key` of a `ServiceMetadata` field). */
  readonly key: string;
  /** Environment variable of the collector holding the value (from the configuration's env table). */
  readonly env: string;
}

/**
 * The resource attributes a collector can know for every service it serves: `ServiceMetadata`
 * fields whose value is per deployment, not per process (`environment`, and `machineId` when
 * `perMachine`), each under its contract key with the env variable the client reads for it.
 * Per-process identity (`service.name`, `service.instance.id`, worker id…) is never inserted. Pure.
 */
export function collectorResourceAttributes(perMachine: boolean): readonly CollectorResourceAttribute[] {
  const fields = perMachine ? ["environment", "machineId"] : ["environment"];
  return fields.map((localName) => {
    const field = ServiceMetadataSchema.fields.find((f) => f.localName === localName);
    const variable = Object.values(telemetryConfigEnv).find((v) => v.option === localName);
    if (field === undefined || variable === undefined) throw new Error(`contract field ServiceMetadata.${localName} or its env variable is gone`);
    return { key: getOption(field, mapping).key, env: variable.name };
  });
}

const hostPattern = /^[A-Za-z0-9.:[\]-]+$/;

function checkOptions(options: CollectorConfigOptions): void {
  const problems: ConfigProblem[] = [];
  const bad = (key: string, value: unknown, problem: string, example: string): void => {
    problems.push({ key, value: value === undefined ? undefined : String(value), problem, example });
  };
  if (options.dash0Endpoint !== undefined) {
    const url = plainHttpUrl(options.dash0Endpoint, /[\s"'$]/);
    if (url === undefined || url.search !== "" || url.hash !== "") {
      bad(
        "--dash0-endpoint",
        options.dash0Endpoint,
        "must be an http(s) base URL without credentials, query or quotes",
        "--dash0-endpoint https://ingress.eu-west-1.aws.dash0.com",
      );
    }
  }
  if (options.dataset !== undefined && !datasetPattern.test(options.dataset))
    bad("--dataset", options.dataset, "must be 1..128 letters, digits, `.`, `_` or `-`", "--dataset default");
  if (options.storageDir !== undefined && !/^\/[^\s"'$\\]*$/.test(options.storageDir))
    bad("--storage-dir", options.storageDir, "must be an absolute path without spaces, quotes, `$` or `\\`", "--storage-dir /var/lib/otelcol/file_storage");
  if (options.listen !== undefined && !hostPattern.test(options.listen))
    bad("--listen", options.listen, "must be an IP address or host name", "--listen 0.0.0.0");
  for (const [key, port] of [
    ["--grpc-port", options.grpcPort],
    ["--http-port", options.httpPort],
  ] as const) {
    if (port !== undefined && (!Number.isSafeInteger(port) || port < 1 || port > 65535)) bad(key, port, "must be an integer from 1 to 65535", `${key} 4317`);
  }
  if (problems.length > 0) throw new TelemetryConfigError(problems, { subject: "collector-config" });
}

/**
 * Renders an OpenTelemetry Collector (`otelcol` / `otelcol-contrib`) configuration: an `otlp`
 * receiver (gRPC and HTTP), `memory_limiter` → `resource/emp` → `batch` processors, and an
 * `otlphttp/dash0` exporter with `Authorization: Bearer ${env:DASH0_API_KEY}` and `Dash0-Dataset`,
 * in traces, logs and metrics pipelines, its sending queue persisted by the `file_storage/emp`
 * extension (see {@link collectorConfigDefaults}). The resource processor INSERTS
 * {@link collectorResourceAttributes} (`deployment.environment.name` from `${env:TELEMETRY_ENV}`):
 * values a service sent are kept. Secrets are only `${env:…}` references. Pure.
 * @throws TelemetryConfigError naming every bad option.
 */
export function renderCollectorConfig(options: CollectorConfigOptions = {}): string {
  checkOptions(options);
  const d = collectorConfigDefaults;
  const listen = options.listen ?? d.listen;
  const hostPort = (port: number): string => `${listen.includes(":") && !listen.startsWith("[") ? `[${listen}]` : listen}:${String(port)}`;
  const attributes = collectorResourceAttributes(options.perMachine ?? d.perMachine);
  const processors = ["memory_limiter", d.resourceProcessorName, "batch"];
  const pipeline: YamlValue = { receivers: ["otlp"], processors, exporters: [d.exporterName] };
  const storageDir = options.storageDir ?? d.storageDir;
  const doc: { [key: string]: YamlValue } = {
    extensions: {
      [d.storageName]: { directory: storageDir, create_directory: true, timeout: "1s", compaction: { on_start: true, directory: storageDir } },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: hostPort(options.grpcPort ?? d.grpcPort) }, http: { endpoint: hostPort(options.httpPort ?? d.httpPort) } } },
    },
    processors: {
      memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 },
      [d.resourceProcessorName]: { attributes: attributes.map((a) => ({ key: a.key, value: `\${env:${a.env}}`, action: "insert" })) },
      batch: { send_batch_size: 8192, timeout: "5s" },
    },
    exporters: {
      [d.exporterName]: {
        endpoint: options.dash0Endpoint ?? d.dash0EndpointRef,
        headers: { Authorization: `Bearer \${env:${d.apiKeyEnv}}`, "Dash0-Dataset": options.dataset ?? d.dataset },
        compression: "gzip",
        timeout: "30s",
        retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "30s", max_elapsed_time: d.retryMaxElapsed },
        sending_queue: { enabled: true, num_consumers: 10, queue_size: 5000, storage: d.storageName },
      },
    },
    service: { extensions: [d.storageName], pipelines: { traces: pipeline, logs: pipeline, metrics: pipeline } },
  };
  const secretEnvs = [d.apiKeyEnv, ...(options.dash0Endpoint === undefined ? ["DASH0_ENDPOINT"] : []), ...attributes.map((a) => a.env)];
  return renderYamlDocument(doc, [
    "Generated by @emp/telemetry (emp-telemetry collector-config). OpenTelemetry Collector: OTLP in, Dash0 out.",
    `Secrets are \${env:...} references: start the collector with ${secretEnvs.join(", ")} set.`,
    `The ${d.resourceProcessorName} processor inserts (never overwrites) ${attributes.map((a) => a.key).join(", ")}.`,
    `Unsent batches wait on disk in ${storageDir} (${d.storageName}, otelcol-contrib) and are retried for ${d.retryMaxElapsed}.`,
  ]);
}
