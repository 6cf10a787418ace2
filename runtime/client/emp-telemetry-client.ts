import { join } from "node:path";
import { tmpdir } from "node:os";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Span } from "@opentelemetry/api";
import type { ConnectivityReport, ServiceMetadata, StandardLogEntry } from "../../generated/index.js";
import { standardLogEntryToFluentRecord } from "../../generated/emp/telemetry/v1/log_contract.js";
import { TelemetryConfig as TelemetryConfigClass } from "../config/telemetry-config-class.js";
import { serviceMetadataFromConfig } from "../config/service-metadata.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import type { HealthServer } from "../health-service/health-server.js";
import type { NodeHandler } from "../health-service/health-service-handler.js";
import type { HealthSource } from "../health-service/health-source.js";
import type { FluentBitConfigFormat } from "../daemon-config/fluent-bit/fluent-bit-config-input.js";
import { renderFluentBitConfig } from "../daemon-config/fluent-bit/render-config.js";
import { Redaction } from "../records/redaction.js";
import { totalRepairs } from "../records/repair.js";
import { installProcessExitHooks, type ProcessExitHooks } from "../reliability/process-exit-hooks.js";
import type { Sink } from "../reliability/sink/sink.js";
import { ContractSpanProcessor } from "../tracing/contract-span-processor.js";
import { createTracing, type Tracing } from "../tracing/tracing-setup.js";
import { clientDefaults, type EmpTelemetryClientOptions, type LogLevelName, splitClientOptions } from "./client-options.js";
import { resolveClientConfig } from "./client-option-checks.js";
import { printConfigWarnings } from "./config-warnings.js";
import { combinedPrinter, consoleColors, createConsolePrinter } from "./console/console-printer.js";
import { type CrashCaptureTarget, captureCrashes } from "./crash-capture.js";
import { deliverCrashEntry } from "./crash-delivery.js";
import { flushAtExit } from "./exit-flush.js";
import { remainingMs, settleWithin } from "./within-deadline.js";
import { type ExitReportSource, reportUndeliveredAtExit } from "./exit-report.js";
import { sinkDestination } from "./sink-destinations.js";
import { readAddFileRequest } from "./add-file-options.js";
import { createClientSinks } from "./client-sinks.js";
import { type ClientMetrics, createClientMetrics } from "./client-metrics.js";
import type { MetricsApi, OtelMetricsApi } from "./metrics-api.js";
import { spoolContext } from "./client-spool.js";
import { type ClientHealth, clientHealth, type ClientFlushReport, flushAll, shutdownAll } from "./client-health.js";
import { type ClientPipelineTests, createLazyPipelineTests } from "./client-pipeline-tests.js";
import { type ContextApi, createContextApi } from "./context-api.js";
import { createDiagnostics, type Diagnostics, writeStderr } from "./stderr-diagnostics.js";
import { createJobApi, type JobApi } from "./job-api.js";
import { createLegacyNotices, type LegacyNotice, registerLegacyNotice } from "./legacy-notices.js";
import { createLogApi, type LogApi } from "./log-api.js";
import { LogFiles } from "./log-files.js";
import { LogWriter } from "./log-writer.js";
import { createStartupApi, type StartupApi, type StartupControl } from "./startup-api.js";
import { runStartupCheck, type StartupCheckOptions, type StartupCheckReport } from "./startup-check.js";
import { createTraceApi, type SpanKindName, type TraceApi } from "./trace-api.js";
import { errorText, textOf } from "./text-of.js";

/** SpanKind numbers of `@opentelemetry/api` (INTERNAL 0 … CONSUMER 4) as our kind names. */
const spanKindNames: readonly SpanKindName[] = ["internal", "server", "client", "producer", "consumer"];

/**
 * The one telemetry client every EMP service uses (the seed's API): `log`, `trace`, `startup`,
 * `job`, `context`, `health()`, `flush()` and `shutdown()`.
 *
 * Construction is the only place it throws: a `TelemetryConfigError` naming every configuration
 * problem at once. After that no call throws into the caller or waits on the network; every
 * failure is counted in `health()` and, in debug mode, said on stderr.
 */
export class EmpTelemetryClient {
  /** The resolved configuration (secrets print as `[redacted]`). */
  readonly config: TelemetryConfig;
  /** The service metadata every record carries. */
  readonly service: ServiceMetadata;
  /** Logging. */
  readonly log: LogApi;
  /** Tracing. */
  readonly trace: TraceApi;
  /** Startup instrumentation. */
  readonly startup: StartupApi;
  /** Job instrumentation. */
  readonly job: JobApi;
  /** W3C trace context across process boundaries. */
  readonly context: ContextApi;
  /**
   * Pipeline checks (the seed's Testing & Debug Layer): `connectivity()`, `fluentd()`, `otel()`,
   * `dash0()`, `endToEnd()`. Each returns the contract's report, never throws, and ends within its
   * deadline (`pipelineTests.timeoutMs`, default 5 s). The last connectivity report is kept for
   * `lastReport()` and the health service.
   */
  readonly test: ClientPipelineTests;
  /** Metrics: `counter`, `gauge`, `histogram` by name, aggregated and exported over OTLP (see {@link MetricsApi}). */
  readonly metrics: MetricsApi;
  /** The existing EMP client's shape, `otel.gauge|counter|histogram(name, value, attributes, unit?)`: the same instruments as `metrics`. */
  readonly otel: OtelMetricsApi;

  readonly #options: EmpTelemetryClientOptions;
  readonly #writer: LogWriter;
  readonly #spans: Sink<unknown> | undefined;
  readonly #logFiles: LogFiles;
  readonly #startup: StartupControl;
  readonly #notice: LegacyNotice;
  readonly #createdAtMs = Date.now();
  readonly #tracing: Tracing;
  readonly #processor: ContractSpanProcessor | undefined;
  readonly #diagnostics: Diagnostics;
  readonly #fluentdTag: string;
  /** Default deadline of flush() and shutdown(), and of the flush at exit. */
  readonly #flushTimeoutMs: number;
  #exitHooks: ProcessExitHooks | undefined;
  /** Held here so the exit report (weakly held by its registry) lives as long as the client. */
  readonly #exitReport: ExitReportSource | undefined;
  /** Held here so the crash capture (weakly held by its registry) lives as long as the client. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: held, never read: the registry's weak reference lives as long as the client
  readonly #crashCapture: CrashCaptureTarget | undefined;
  /** Crash entries that reached a sink another way (by sink name: appended to its file, sent by a child) while their queued copies never left. */
  readonly #writtenAtCrash = new Map<string, number>();
  #closed = false;
  #lastReport: ConnectivityReport | undefined;
  #periodic: { stop(): void } | undefined;
  readonly #metrics: ClientMetrics;

  /**
   * @param options - the options, or a {@link TelemetryConfigClass | TelemetryConfig} made with `new TelemetryConfig(...)` (then
   * every client option is at its default).
   * @throws TelemetryConfigError naming every problem of the options and the environment.
   */
  constructor(options: EmpTelemetryClientOptions | TelemetryConfigClass = {}) {
    const resolved = options instanceof TelemetryConfigClass ? options : undefined;
    const { config, client } = splitClientOptions(resolved === undefined ? (options as EmpTelemetryClientOptions) : {});
    this.#options = client;
    this.config = resolved ?? resolveClientConfig(config, client);
    this.#flushTimeoutMs = client.flushTimeoutMs ?? clientDefaults.flushTimeoutMs;
    // TELEMETRY_LOGS=false: nothing of ours on the console; a writer the caller gives is not the console.
    const ownConsole = this.config.consoleOutput || client.diagnosticsWriter !== undefined;
    this.#diagnostics = createDiagnostics(this.config.debug && ownConsole, client.diagnosticsWriter);
    this.#notice = createLegacyNotices(this.#diagnostics);
    registerLegacyNotice(this, this.#notice);
    if ((client.configWarnings ?? clientDefaults.configWarnings) && ownConsole)
      printConfigWarnings(this.config.warnings, client.diagnosticsWriter ?? writeStderr);
    const s = this.config.service;
    this.service = serviceMetadataFromConfig(this.config, { machineType: client.machineType, connectorType: client.connectorType });
    this.#fluentdTag = client.fluentdTag ?? `emp.${s.type}.${s.name}`;
    const sinkContext = {
      maxQueueBytes: this.config.maxQueueBytes,
      maxSpanQueueBytes: client.maxSpanQueueBytes ?? clientDefaults.maxSpanQueueBytes,
      onDiagnostic: this.#diagnostics,
      ...spoolContext(client.spool, this.config),
      destinationOf: (name: string) => sinkDestination(this.config, name),
    };
    const sinks = createClientSinks(this.config, this.#fluentdTag, sinkContext);
    this.#writer = new LogWriter(this.service, sinks.logs, {
      print: combinedPrinter(
        this.config.debug && client.debugRecords === true ? debugRecordPrinter(this.#diagnostics) : undefined,
        createConsolePrinter(this.config.console, { colors: consoleColors(client.env ?? process.env) }),
      ),
      redaction: new Redaction(client.redact),
      beforeSend: client.beforeSend,
      ...(sinks.directLogs === undefined ? {} : { direct: sinks.directLogs }),
    });
    this.#spans = sinks.spans as Sink<unknown> | undefined;
    this.#processor =
      sinks.spans === undefined ? undefined : new ContractSpanProcessor(this.service, sinks.spans, this.#writer.repairs, this.#writer.redaction);
    this.#tracing = createTracing(this.#processor ?? noSpanProcessor, client.registerGlobal ?? clientDefaults.registerGlobal, this.config);
    const level: LogLevelName = client.level ?? (this.config.debug ? "debug" : "info");
    this.#logFiles = new LogFiles({
      config: this.config,
      sinkContext: sinkContext,
      writerSinks: this.#writer.sinks,
      autoConfigPath:
        client.autoFluentBitConfig === true ? (client.fluentBitConfigPath ?? join(this.config.logDir ?? tmpdir(), "fluent-bit", "fluent-bit.yaml")) : undefined,
      onDiagnostic: this.#diagnostics,
    });
    this.log = createLogApi(this.#writer, level, (path, o) => this.#addFile(path, o));
    this.trace = createTraceApi(this.#tracing.tracer, this.#writer.repairs);
    const tests = createLazyPipelineTests(this.config, client.pipelineTests, (r) => this.#recordReport(r));
    this.test = tests.api;
    this.#startup = createStartupApi(this.#tracing.tracer, this.#writer, s.type, client.startupPhases ?? [], (o) => this.#startupCheck(o));
    this.startup = this.#startup.api;
    this.job = createJobApi(
      this.#tracing.tracer,
      this.#writer,
      s.workerId ?? "",
      {
        tracing: client.jobTracing ?? clientDefaults.jobTracing,
        logEvents: client.autoJobInstrumentation ?? clientDefaults.autoJobInstrumentation,
      },
      this.#notice,
    );
    this.context = createContextApi();
    const metricsCtx = { ...sinkContext, sinkHealth: () => this.#allSinks().map((k) => k.health()), lastReport: () => this.#lastReport };
    this.#metrics = createClientMetrics(this.config, this.service, client.metrics, metricsCtx);
    this.metrics = this.#metrics.api;
    this.otel = this.#metrics.api;
    if (client.healthCheckIntervalMs !== undefined && !this.config.disabled)
      this.#periodic = tests.startPeriodic(client.healthCheckIntervalMs, (r) => this.#recordReport(r));
    for (const path of client.logFiles ?? []) this.#addFile(path, { external: true });
    if (client.handleExitSignals ?? clientDefaults.handleExitSignals) {
      this.#exitHooks = installProcessExitHooks([{ flush: (t) => flushAtExit(this.#allSinks(), t) }], { timeoutMs: this.#flushTimeoutMs });
    }
    this.#exitReport = (client.exitReport ?? clientDefaults.exitReport) ? this.#reportUndeliveredAtExit(client, sinkContext.destinationOf) : undefined;
    this.#crashCapture = (client.captureUncaught ?? clientDefaults.captureUncaught) ? this.#captureCrashes() : undefined;
    if (client.autoStartupTrace === true) void this.startup.begin();
  }

  /** A client with the API server's defaults. */
  static forAPI(options: EmpTelemetryClientOptions = {}): EmpTelemetryClient {
    return new EmpTelemetryClient({ serviceType: "api", ...options });
  }

  /** A client with the webhook service's defaults. */
  static forWebhook(options: EmpTelemetryClientOptions = {}): EmpTelemetryClient {
    return new EmpTelemetryClient({ serviceType: "webhook", ...options });
  }

  /** A client with a GPU machine's defaults (`machineId` required, from the option or `MACHINE_ID`). */
  static forMachine(options: EmpTelemetryClientOptions = {}): EmpTelemetryClient {
    return new EmpTelemetryClient({ serviceType: "machine", ...options });
  }

  /** A client with a worker's defaults (`workerId` and `machineId` required). */
  static forWorker(options: EmpTelemetryClientOptions = {}): EmpTelemetryClient {
    return new EmpTelemetryClient({ serviceType: "worker", ...options });
  }

  /** Delivery accounting of every sink, repairs, drops by reason and configuration warnings. Never throws. */
  health(): ClientHealth {
    return clientHealth({
      service: this.service,
      sinks: this.#allSinks(),
      log: this.#writer.counters,
      repairs: this.#writer.repairs,
      redactions: this.#writer.redaction.count,
      spanInternalErrors: this.#processor?.internalErrors ?? 0,
      addFileProblems: this.#logFiles.problems,
      warnings: this.config.warnings,
      registeredGlobally: this.#tracing.registeredGlobally,
      closed: this.#closed,
      metrics: this.#metrics.health(),
    });
  }

  /** The last connectivity report (from `test.connectivity()` or the periodic checks), if any. */
  lastReport(): ConnectivityReport | undefined {
    return this.#lastReport;
  }

  /**
   * The TelemetryHealthService (Connect, gRPC and gRPC-web) as a request handler to mount on the
   * service's own `node:http` / `node:http2` server; `fallback` gets every other request. Loads
   * connect-node on first call.
   */
  async createHealthServiceHandler(fallback?: NodeHandler): Promise<NodeHandler> {
    const { createHealthServiceHandler } = await import("../health-service/health-service-handler.js");
    return createHealthServiceHandler(this.#healthSource(), fallback);
  }

  /** Serves the TelemetryHealthService standalone (every protocol on one port, 127.0.0.1 by default). */
  async serveHealth(options: { port?: number; host?: string } = {}): Promise<HealthServer> {
    const { startHealthServer } = await import("../health-service/health-server.js");
    return startHealthServer(this.#healthSource(), options);
  }

  /** Total repairs made to records so far (truncations, renamed keys, cycles, ...). */
  get repairCount(): number {
    return totalRepairs(this.#writer.repairs);
  }

  /** Waits until everything logged and traced so far is delivered or dropped, or `timeoutMs` passes. Never rejects. */
  async flush(timeoutMs: number = this.#flushTimeoutMs): Promise<ClientFlushReport> {
    this.#startup.endUnfinished("flush");
    this.#metrics.collectNow();
    return flushAll(this.#allSinks(), timeoutMs);
  }

  /**
   * Flushes within `timeoutMs`, then closes every connection; what is still queued is dropped as
   * `shutdown` and counted. Calls after it are counted as `shutdown` drops. Never rejects.
   */
  async shutdown(timeoutMs: number = this.#flushTimeoutMs): Promise<ClientFlushReport> {
    const startedMs = performance.now();
    if (!this.#closed) {
      this.#closed = true;
      this.#exitHooks?.uninstall();
      this.#periodic?.stop();
      this.#startup.endUnfinished("shutdown");
      this.#metrics.close();
      // Within the same deadline: the span processor's flush is the span sink's, which shutdownAll ends.
      const outcome = await settleWithin(this.#tracing.provider.forceFlush(), timeoutMs);
      if (outcome === "rejected") this.#writer.counters.internalErrors++;
    }
    return shutdownAll(this.#allSinks(), remainingMs(timeoutMs, startedMs));
  }

  /** The Fluent Bit configuration for this service's files (`logFiles` and `log.addFile`), secrets as `${ENV}` references. */
  fluentBitConfig(format: FluentBitConfigFormat = "yaml"): string {
    return renderFluentBitConfig(this.#logFiles.fluentBitInput(), format);
  }

  /**
   * The existing client's `telemetry.withSpan(name, fn, { kind, attributes })`: {@link TraceApi.span}
   * (`kind` as OpenTelemetry's `SpanKind` number or our name). Returns what `fn` returns; rethrows what it throws.
   */
  withSpan<T>(name: string, fn: (span: Span) => T, options?: { kind?: number | SpanKindName; attributes?: Record<string, unknown> }): T {
    this.#notice("telemetry.withSpan(name, fn, { kind, attributes })", "telemetry.trace.span(name, fn, { kind, attributes })");
    const kind = typeof options?.kind === "number" ? spanKindNames[options.kind] : options?.kind;
    return this.trace.span(name, fn, { attributes: options?.attributes, kind });
  }

  /**
   * The existing client's `telemetry.addEvent(name, attributes)`: {@link TraceApi.event} (an event on
   * the active span; outside any span, a zero-length span of that name). Never throws.
   */
  addEvent(name: string, attributes?: Record<string, unknown>): void {
    this.#notice("telemetry.addEvent(name, attributes)", "telemetry.trace.event(name, attributes)");
    this.trace.event(name, attributes);
  }

  /**
   * A `node:http` request handler answering `GET <healthEndpoint>` with `health()` as JSON (200 when
   * no sink's breaker is open, 503 otherwise); returns false for other requests so it can sit in
   * front of a service's own handler.
   */
  createHealthHandler(): (req: IncomingMessage, res: ServerResponse) => boolean {
    const path = this.#options.healthEndpoint ?? clientDefaults.healthEndpoint;
    return (req, res) => {
      if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== path) return false;
      const h = this.health();
      const body = JSON.stringify(h);
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
      return true;
    };
  }

  /** The line at exit about undelivered records (see `exitReport`). */
  #reportUndeliveredAtExit(client: EmpTelemetryClientOptions, destinationOf: (sinkName: string) => string): ExitReportSource {
    const source: ExitReportSource = {
      sinkHealth: () => this.#allSinks().map((sink) => sink.health()),
      destinationOf,
      write: client.diagnosticsWriter ?? writeStderr,
      writtenOtherwise: (name) => this.#writtenAtCrash.get(name) ?? 0,
    };
    reportUndeliveredAtExit(source);
    return source;
  }

  /** Crashes logged as fatal entries (see `captureUncaught`). */
  #captureCrashes(): CrashCaptureTarget {
    const target: CrashCaptureTarget = {
      writer: this.#writer,
      files: () =>
        this.#closed ? [] : this.#logFiles.ownFiles.map((file) => ({ ...file, sink: this.#writer.sinks.find((sink) => sink.name === `file:${file.path}`) })),
      onFileError: () => void this.#logFiles.problems++,
      deliver: (entry) => (this.#closed ? [] : deliverCrashEntry(this.config, this.#fluentdTag, entry)),
      onWrittenOtherwise: (name) => void this.#writtenAtCrash.set(name, (this.#writtenAtCrash.get(name) ?? 0) + 1),
      spoolNow: () => {
        for (const sink of this.#allSinks()) sink.spoolSync();
      },
    };
    captureCrashes(target);
    return target;
  }

  /** The existing client's `await telemetry.startup({...})`, on our APIs. */
  #startupCheck(options: StartupCheckOptions | undefined): Promise<StartupCheckReport> {
    this.#notice("telemetry.startup({ testConnections, logConfiguration, sendStartupPing })", "telemetry.test.connectivity() and telemetry.startup.complete()");
    const deps = {
      config: this.config,
      connectivity: () => this.test.connectivity(),
      health: () => this.health(),
      info: (message: string, data: Record<string, unknown>) => this.log.info(message, data),
      event: (name: string, attributes: Record<string, unknown>) => this.trace.event(name, attributes),
      uptimeMs: () => Date.now() - this.#createdAtMs,
    };
    return runStartupCheck(deps, options);
  }

  #recordReport(report: ConnectivityReport): void {
    this.#lastReport = report;
    // Feed the breakers: a receiver the check found healthy gets its probe now.
    for (const sink of this.#allSinks()) {
      const t = sink.target;
      const fluentd = t === "forward" || t === "fluentd-http";
      if ((fluentd && report.fluentd?.ok === true) || ((t === "otlp-traces" || t === "otlp-logs" || t === "otlp-metrics") && report.otel?.ok === true))
        sink.reportReceiverHealthy();
    }
    if (!report.ok) this.#diagnostics(`pipeline check failed: ${JSON.stringify(report.fluentd?.steps.filter((h) => !h.ok).map((h) => h.error) ?? [])}`);
  }

  #healthSource(): HealthSource {
    return {
      service: this.service,
      health: () => this.health(),
      lastReport: () => this.#lastReport,
      runCheck: () => this.test.connectivity(),
    };
  }

  #allSinks(): Sink<unknown>[] {
    const all: Sink<unknown>[] = [...(this.#writer.sinks as Sink<unknown>[]), ...(this.#logFiles.retiredSinks as Sink<unknown>[])];
    if (this.#spans !== undefined) all.push(this.#spans);
    if (this.#metrics?.sink !== undefined) all.push(this.#metrics.sink as Sink<unknown>);
    return all;
  }

  #addFile(path: unknown, nameOrOptions: unknown): void {
    if (this.config.disabled) return; // OTEL_SDK_DISABLED: no file is opened
    try {
      if (typeof nameOrOptions === "string") this.#notice("log.addFile(path, streamName)", "log.addFile(path, { tag: streamName, external: true })");
      this.#logFiles.add(readAddFileRequest(path, nameOrOptions));
    } catch (error: unknown) {
      this.#logFiles.problems++;
      this.#diagnostics(`log.addFile(${textOf(path).slice(0, 256)}) failed: ${errorText(error).slice(0, 256)}`);
    }
  }
}

/** Debug mode's record printer: every entry written goes to the diagnostics as its Fluentd record. */
function debugRecordPrinter(diagnostics: Diagnostics): (entry: StandardLogEntry) => void {
  return (entry) => diagnostics(`record ${JSON.stringify(standardLogEntryToFluentRecord(entry))}`);
}

/** Span processor used when traces are off: spans are made (for context) but go nowhere. */
const noSpanProcessor = {
  onStart: (): void => undefined,
  onEnd: (): void => undefined,
  forceFlush: async (): Promise<void> => undefined,
  shutdown: async (): Promise<void> => undefined,
};
