import { OptionProblems } from "../config/option-problems.js";
import { withRedactedView } from "../config/redacted-view.js";

/**
 * Options of {@link startCollector}. Every field is optional; see {@link collectorDefaults}. Ports
 * are TCP ports on 127.0.0.1; `0` picks a free (ephemeral) one, which `collector.ports` then names.
 * No environment variable is read here: the `emp-telemetry dev` command maps its flags onto these.
 */
export interface CollectorOptions {
  /** Interface every input listens on. Default `127.0.0.1` (the collector is a local stand-in, never exposed). */
  host?: string;
  /** Fluentd forward protocol input (TCP). Default 24224, Fluentd's `in_forward` port. */
  forwardPort?: number;
  /** Fluentd `in_http`-style input (`POST /<tag>`). Default 8888, the seed's Fluentd `in_http` port. */
  httpPort?: number;
  /** OTLP/HTTP input (`POST /v1/traces`, `/v1/logs`). Default 4318, OTLP's HTTP port. */
  otlpHttpPort?: number;
  /** OTLP/gRPC input (h2c). Default 4317, OTLP's gRPC port. */
  otlpGrpcPort?: number;
  /** Dash0 stand-in: OTLP/HTTP that requires `Authorization: Bearer <dash0Token>`. Default 4319. */
  dash0Port?: number;
  /** Status API and live page. Default 4320. */
  statusPort?: number;
  /** Forward-protocol shared key: when set, every connection must pass HELO/PING/PONG. Default none. Secret. */
  sharedKey?: string;
  /** Our hostname in PONG. Default `emp-telemetry-collector`. */
  selfHostname?: string;
  /** Token the Dash0 stand-in accepts as `Authorization: Bearer <token>`. Default `emp-dev-token`. Secret. */
  dash0Token?: string;
  /**
   * Dataset the token may write to: when set, a request whose `Dash0-Dataset` header (absent means
   * `default`, as at Dash0) names another dataset gets 403. Default none (any dataset).
   */
  dash0Dataset?: string;
  /** Directory for `logs.ndjson` and `spans.ndjson` (created if missing). Default none: memory only. */
  dataDir?: string;
  /** Records and spans kept in memory per service (each), for the status API and page. Default 50. */
  recentPerService?: number;
  /**
   * Estimated bytes all those recent records may hold together (every service and signal); over it the
   * oldest are forgotten first, counted in the status's `recentStore.droppedOverBytes`. Default 64 MiB.
   */
  recentBytes?: number;
  /** Contract violations kept in memory (most recent). Default 200. */
  recentViolations?: number;
  /** Traces kept in memory for the trace view (the most recently seen; older ones forgotten whole). Default 100. */
  recentTraces?: number;
  /** Spans and log records kept per trace; later ones are counted, not kept. Default 500. */
  recordsPerTrace?: number;
  /** Probe ids remembered (oldest forgotten first). Default 10 000. */
  maxProbes?: number;
  /** Services tracked by name; later ones are counted under `(other)`. Default 500. */
  maxServices?: number;
  /** Largest HTTP request body (after gunzip too) and forward message, in bytes. Default 32 MiB (`in_http`'s `body_size_limit`). */
  maxBodyBytes?: number;
  /**
   * Most records one request or forward message may carry; a larger one is refused whole (HTTP 413,
   * gRPC `resource_exhausted`, forward: no ack) and counted in its hop's `tooManyRecords`. Default
   * 10 000. A tiny gzip body can carry tens of thousands of records: this bounds the work one request causes.
   */
  maxRecordsPerRequest?: number;
  /**
   * Records each input takes per second (a token bucket with one second of burst); a batch over it
   * is refused whole (HTTP 429 with `Retry-After: 1`, gRPC `resource_exhausted`, forward: no ack) and
   * counted in its hop's `rateLimited`. Default 20 000. At least `maxRecordsPerRequest`.
   */
  maxRecordsPerSecond?: number;
  /**
   * Most nested items one request or forward message may carry, counted in one pass over its bytes
   * before decoding: protobuf fields at every depth (each attribute, its key and value, array values,
   * kvlist entries, events, links, packed numbers), JSON members and elements, msgpack values. A larger
   * one is refused whole (HTTP 413, gRPC `resource_exhausted`, forward: no ack) and counted in its hop's
   * `tooManyItems`. Default 2 000 000 (a 16 MiB body of empty attributes carries 8 million).
   */
  maxItemsPerRequest?: number;
  /** A forward connection that sends nothing for this long is closed (counted in `forwardConnections.idleClosed`). Default 60 000 ms. */
  forwardIdleTimeoutMs?: number;
  /** Open forward connections at most; later ones are closed at once (counted in `forwardConnections.refused`). Default 512. */
  forwardMaxConnections?: number;
  /**
   * Bytes of incomplete forward messages all connections may hold together (each one also at most
   * `maxBodyBytes`); the connection that would exceed it is dropped (counted in
   * `forwardConnections.overBudget`). Default 128 MiB.
   */
  forwardMaxPendingBytes?: number;
}

/** {@link CollectorOptions} after defaults; `inspect` and `JSON.stringify` show secrets as `[redacted]`. */
export interface ResolvedCollectorOptions {
  readonly host: string;
  readonly forwardPort: number;
  readonly httpPort: number;
  readonly otlpHttpPort: number;
  readonly otlpGrpcPort: number;
  readonly dash0Port: number;
  readonly statusPort: number;
  /** `""` means no handshake. */
  readonly sharedKey: string;
  readonly selfHostname: string;
  readonly dash0Token: string;
  /** `""` means any dataset. */
  readonly dash0Dataset: string;
  /** `undefined` means no files. */
  readonly dataDir: string | undefined;
  readonly recentPerService: number;
  readonly recentBytes: number;
  readonly recentViolations: number;
  readonly recentTraces: number;
  readonly recordsPerTrace: number;
  readonly maxProbes: number;
  readonly maxServices: number;
  readonly maxBodyBytes: number;
  readonly maxRecordsPerRequest: number;
  readonly maxRecordsPerSecond: number;
  readonly maxItemsPerRequest: number;
  readonly forwardIdleTimeoutMs: number;
  readonly forwardMaxConnections: number;
  readonly forwardMaxPendingBytes: number;
}

/**
 * Defaults of {@link CollectorOptions}: the standard ports, so services with default settings
 * (`FLUENTD_HOST=localhost`, port 24224; OTLP at `http://localhost:4318`) reach the collector
 * unchanged; loopback only; no shared key; memory-only storage.
 */
export const collectorDefaults = Object.freeze({
  host: "127.0.0.1",
  forwardPort: 24224,
  httpPort: 8888,
  otlpHttpPort: 4318,
  otlpGrpcPort: 4317,
  dash0Port: 4319,
  statusPort: 4320,
  sharedKey: "",
  selfHostname: "emp-telemetry-collector",
  dash0Token: "emp-dev-token",
  dash0Dataset: "",
  recentPerService: 50,
  recentBytes: 64 * 1024 * 1024,
  recentViolations: 200,
  recentTraces: 100,
  recordsPerTrace: 500,
  maxProbes: 10_000,
  maxServices: 500,
  maxBodyBytes: 32 * 1024 * 1024,
  maxRecordsPerRequest: 10_000,
  maxRecordsPerSecond: 20_000,
  maxItemsPerRequest: 2_000_000,
  forwardIdleTimeoutMs: 60_000,
  forwardMaxConnections: 512,
  forwardMaxPendingBytes: 128 * 1024 * 1024,
} as const);

const portKeys = ["forwardPort", "httpPort", "otlpHttpPort", "otlpGrpcPort", "dash0Port", "statusPort"] as const;
const knownKeys = [
  "host",
  ...portKeys,
  "sharedKey",
  "selfHostname",
  "dash0Token",
  "dash0Dataset",
  "dataDir",
  "recentPerService",
  "recentBytes",
  "recentViolations",
  "recentTraces",
  "recordsPerTrace",
  "maxProbes",
  "maxServices",
  "maxBodyBytes",
  "maxRecordsPerRequest",
  "maxRecordsPerSecond",
  "maxItemsPerRequest",
  "forwardIdleTimeoutMs",
  "forwardMaxConnections",
  "forwardMaxPendingBytes",
] as const;

/**
 * Applies {@link collectorDefaults} and checks every value.
 *
 * Failure behaviour: throws one `TelemetryConfigError` (`config_invalid`) naming every bad key with
 * its value (secrets as `[redacted]`) and an example; the only place the collector throws.
 */
export function resolveCollectorOptions(options: CollectorOptions = {}): ResolvedCollectorOptions {
  const problems = new OptionProblems("collector");
  problems.unknownKeys(options, knownKeys);
  const d = collectorDefaults;
  const resolved: ResolvedCollectorOptions = {
    host: options.host ?? d.host,
    forwardPort: options.forwardPort ?? d.forwardPort,
    httpPort: options.httpPort ?? d.httpPort,
    otlpHttpPort: options.otlpHttpPort ?? d.otlpHttpPort,
    otlpGrpcPort: options.otlpGrpcPort ?? d.otlpGrpcPort,
    dash0Port: options.dash0Port ?? d.dash0Port,
    statusPort: options.statusPort ?? d.statusPort,
    sharedKey: options.sharedKey ?? d.sharedKey,
    selfHostname: options.selfHostname ?? d.selfHostname,
    dash0Token: options.dash0Token ?? d.dash0Token,
    dash0Dataset: options.dash0Dataset ?? d.dash0Dataset,
    dataDir: options.dataDir,
    recentPerService: options.recentPerService ?? d.recentPerService,
    recentBytes: options.recentBytes ?? d.recentBytes,
    recentViolations: options.recentViolations ?? d.recentViolations,
    recentTraces: options.recentTraces ?? d.recentTraces,
    recordsPerTrace: options.recordsPerTrace ?? d.recordsPerTrace,
    maxProbes: options.maxProbes ?? d.maxProbes,
    maxServices: options.maxServices ?? d.maxServices,
    maxBodyBytes: options.maxBodyBytes ?? d.maxBodyBytes,
    maxRecordsPerRequest: options.maxRecordsPerRequest ?? d.maxRecordsPerRequest,
    maxRecordsPerSecond: options.maxRecordsPerSecond ?? d.maxRecordsPerSecond,
    maxItemsPerRequest: options.maxItemsPerRequest ?? d.maxItemsPerRequest,
    forwardIdleTimeoutMs: options.forwardIdleTimeoutMs ?? d.forwardIdleTimeoutMs,
    forwardMaxConnections: options.forwardMaxConnections ?? d.forwardMaxConnections,
    forwardMaxPendingBytes: options.forwardMaxPendingBytes ?? d.forwardMaxPendingBytes,
  };
  problems.text("host", resolved.host, "an interface address", '"127.0.0.1"');
  for (const key of portKeys) problems.integer(key, resolved[key], 0, 65535, "0 (any free port)");
  if (typeof resolved.sharedKey !== "string") problems.add("sharedKey", resolved.sharedKey, "a string", "", { secret: true });
  problems.text("selfHostname", resolved.selfHostname, "a hostname", '"emp-telemetry-collector"');
  problems.text("dash0Token", resolved.dash0Token, "a non-empty token", "", { secret: true });
  if (typeof resolved.dash0Dataset !== "string") problems.add("dash0Dataset", resolved.dash0Dataset, "a string", '"default"');
  if (resolved.dataDir !== undefined) problems.text("dataDir", resolved.dataDir, "a directory path", '".emp-telemetry/collector"');
  problems.integer("recentPerService", resolved.recentPerService, 1, 100_000, "50");
  problems.integer("recentBytes", resolved.recentBytes, 64 * 1024, 64 * 1024 * 1024 * 1024, String(64 * 1024 * 1024));
  problems.integer("recentViolations", resolved.recentViolations, 1, 100_000, "200");
  problems.integer("recentTraces", resolved.recentTraces, 1, 100_000, "100");
  problems.integer("recordsPerTrace", resolved.recordsPerTrace, 1, 1_000_000, "500");
  problems.integer("maxProbes", resolved.maxProbes, 1, 10_000_000, "10000");
  problems.integer("maxServices", resolved.maxServices, 1, 100_000, "500");
  problems.integer("maxBodyBytes", resolved.maxBodyBytes, 1024, 1024 * 1024 * 1024, String(32 * 1024 * 1024));
  problems.integer("maxRecordsPerRequest", resolved.maxRecordsPerRequest, 1, 10_000_000, "10000");
  problems.integer("maxRecordsPerSecond", resolved.maxRecordsPerSecond, 1, 100_000_000, "20000");
  if (Number.isInteger(resolved.maxRecordsPerSecond) && resolved.maxRecordsPerSecond < resolved.maxRecordsPerRequest)
    problems.add("maxRecordsPerSecond", resolved.maxRecordsPerSecond, `at least maxRecordsPerRequest (${resolved.maxRecordsPerRequest})`, "20000");
  problems.integer("maxItemsPerRequest", resolved.maxItemsPerRequest, 1000, 1_000_000_000, "2000000");
  problems.integer("forwardIdleTimeoutMs", resolved.forwardIdleTimeoutMs, 10, 24 * 3600 * 1000, "60000");
  problems.integer("forwardMaxConnections", resolved.forwardMaxConnections, 1, 100_000, "512");
  problems.integer("forwardMaxPendingBytes", resolved.forwardMaxPendingBytes, 1024, 16 * 1024 * 1024 * 1024, String(128 * 1024 * 1024));
  problems.throwIfAny();
  return withRedactedView(resolved, () => redactCollectorOptions(resolved));
}

/** A copy of `options` safe to print: the shared key and the Dash0 token become `[redacted]`. */
export function redactCollectorOptions(options: ResolvedCollectorOptions): Record<string, unknown> {
  return { ...options, sharedKey: options.sharedKey === "" ? "" : "[redacted]", dash0Token: "[redacted]" };
}
