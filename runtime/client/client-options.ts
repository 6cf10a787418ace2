import { clientOptionKeys } from "../config/option-keys.js";
import type { TelemetryConfigOptions } from "../config/telemetry-config.js";
import type { StandardLogEntry } from "../../generated/index.js";
import type { PipelineTestOptions } from "../diagnostics/pipeline-test-options.js";
import type { MetricsOptions } from "../metrics/metrics-options.js";
import { type ClientSpoolOptions, clientSpoolDefaults } from "./client-spool.js";

/** Log levels, least to most severe. */
export type LogLevelName = "debug" | "info" | "warn" | "error" | "fatal";

/**
 * Options of {@link EmpTelemetryClient}: the configuration options (see the README's tables; each
 * may also come from its environment variable) plus the client's own. Only the service's name,
 * type and environment are required, from here or the environment.
 */
export interface EmpTelemetryClientOptions extends TelemetryConfigOptions {
  /** Environment to read instead of `process.env` (tests, embedding). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Least severe level written; lower levels cost nothing. Default `debug` with `TELEMETRY_DEBUG`, else `info`. */
  level?: LogLevelName;
  /**
   * Bound of the span sink's queue, in bytes of estimates (about 140 bytes a span as it waits packed,
   * 400 with a disk spool, where spans wait as messages). Default 64 MiB: a burst of over 400 000 spans
   * fits while the collector is slow or away. Every span past it is counted as dropped `queue_full`.
   * Log sinks use `maxQueueBytes` (the service type's default).
   */
  maxSpanQueueBytes?: number;
  /**
   * Disk spool of the Fluentd and OTLP sinks: records survive a crash, and an outage longer than the
   * memory queue goes to disk instead of being dropped (bounded by `spool.maxBytes` per sink).
   * `true` uses the defaults: `<LOG_DIR>/spool`, 256 MiB per sink, fsync `batch`. Default off.
   * See the README's "Durability" section and {@link ClientSpoolOptions}.
   */
  spool?: boolean | ClientSpoolOptions;
  /** Options of `telemetry.test.*`: deadline, Fluentd monitor_agent / Fluent Bit / collector URLs. */
  pipelineTests?: PipelineTestOptions;
  /**
   * Run the cheap pipeline checks (Fluentd connect + handshake, an empty OTLP export) every this many
   * ms in the background, never overlapping; the last report shows in `health()` and the health
   * service. Default: off.
   */
  healthCheckIntervalMs?: number;
  /** In debug mode (`TELEMETRY_DEBUG` or `debug`), also print every log entry as its Fluentd record. Default false. */
  debugRecords?: boolean;
  /** Where debug-mode lines go (rate-limited, never through our own sinks). Default: stderr. */
  diagnosticsWriter?: (line: string) => void;
  /** Fluentd tag of this service's log entries. Default `emp.<serviceType>.<serviceName>`. */
  fluentdTag?: string;
  /** Make our TracerProvider the global one, so spans made through `@opentelemetry/api` by any library join. Default true. */
  registerGlobal?: boolean;
  /** Flush on SIGTERM, SIGINT and `beforeExit`, then let the process end as it would have. Default true. */
  handleExitSignals?: boolean;
  /** Log files written by other programs that Fluent Bit should tail (globs allowed, e.g. `/workspace/logs/*.log`). */
  logFiles?: readonly string[];
  /** Path the health handler answers on (see `createHealthHandler`). Default `/health/telemetry`. */
  healthEndpoint?: string;
  /** Begin the startup trace at construction, so `startup.phase` and `startup.complete` need no `begin`. Default false. */
  autoStartupTrace?: boolean;
  /** Kind of GPU machine (`emp.machine.type`), e.g. `comfyui`. */
  machineType?: string;
  /** Startup phases the service expects, in order; phases never run are reported as skipped. */
  startupPhases?: readonly string[];
  /** Write the Fluent Bit configuration for `logFiles` and `log.addFile` files into `fluentBitConfigPath`. Default false. */
  autoFluentBitConfig?: boolean;
  /** Where the Fluent Bit configuration goes. Default `<logDir or os.tmpdir()>/fluent-bit/fluent-bit.yaml`. */
  fluentBitConfigPath?: string;
  /** Connector a worker drives (`emp.worker.connector_type`), e.g. `comfyui`. */
  connectorType?: string;
  /** One span per job in `job.process`. Default true. */
  jobTracing?: boolean;
  /** Log every job lifecycle event (received, started, progress, completed, failed) as an entry. Default true. */
  autoJobInstrumentation?: boolean;
  /** `telemetry.metrics`: export interval (60 s), timeout, temporality, cardinality, the opt-in health metrics; see `MetricsOptions`. */
  metrics?: MetricsOptions;
  /** Deadline of `flush()` and `shutdown()` when none is given, and of the flush at exit, in ms. Default 5000. */
  flushTimeoutMs?: number;
  /** Print configuration warnings (misspelled variables, old names) once on stderr at construction. Default true. */
  configWarnings?: boolean;
  /**
   * When the process exits with records not delivered, print one line on stderr saying how many, why and
   * to which host:port. Default true.
   */
  exitReport?: boolean;
  /**
   * More keys or paths to redact in log data and child bindings, beside the default keys (see
   * the README's "Redaction"): a key (`"ssn"`, any depth, case-insensitive, `-` `_` `.` ignored) or a
   * path from the data's top as pino writes them (`"user.card.number"`, `"headers[\"x-auth\"]"`,
   * `"users[*].email"`, `"*.pin"`). Redacted values become `"[redacted]"`, counted in `health().redactions`.
   */
  redact?: readonly string[];
  /**
   * Called with each log entry (already safe and redacted) before it goes to any sink: return it (changed or
   * not) to send it, or `null`/`undefined`/`false` to drop it (counted as dropped `filtered` in every sink). A
   * hook that throws drops the entry too, counted in `health().log.beforeSendErrors`. Keep it fast: it runs
   * on the caller's path.
   */
  beforeSend?: (record: StandardLogEntry) => StandardLogEntry | null | undefined | false;
  /**
   * Log an uncaught exception or unhandled rejection as a `fatal` entry (type, message, stack, cause chain)
   * and write what is queued synchronously before the process ends, when the app has no handler of its own;
   * Node's behaviour is kept exactly (see the README's "Crashes"). Default true.
   */
  captureUncaught?: boolean;
}

/** The client's own option keys: everything else goes to the configuration. */
export const clientOnlyOptionKeys = clientOptionKeys satisfies readonly (keyof EmpTelemetryClientOptions)[];

/** Defaults of the client's own options. */
export const clientDefaults = Object.freeze({
  registerGlobal: true,
  handleExitSignals: true,
  healthEndpoint: "/health/telemetry",
  autoStartupTrace: false,
  autoFluentBitConfig: false,
  jobTracing: true,
  autoJobInstrumentation: true,
  maxSpanQueueBytes: 64 * 1024 * 1024,
  /** `flush()` / `shutdown()` deadline when none is given, in ms. */
  flushTimeoutMs: 5000,
  /** The disk spool (`spool` option): off; `spool: true` means `<LOG_DIR>/spool`, 256 MiB per sink, fsync `batch`. */
  spool: clientSpoolDefaults,
  configWarnings: true,
  exitReport: true,
  captureUncaught: true,
});

/** Splits client options into the configuration's part and the client's part. */
export function splitClientOptions(options: EmpTelemetryClientOptions): { config: TelemetryConfigOptions; client: EmpTelemetryClientOptions } {
  const config: Record<string, unknown> = {};
  const client: Record<string, unknown> = {};
  const own = new Set<string>(clientOnlyOptionKeys);
  for (const [key, value] of Object.entries(options)) (own.has(key) ? client : config)[key] = value;
  return { config: config as TelemetryConfigOptions, client: client as EmpTelemetryClientOptions };
}
