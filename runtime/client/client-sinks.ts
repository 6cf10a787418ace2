import type { StandardLogEntry, StandardTraceSpan } from "../../generated/index.js";
import { fluentdHttpOptionsFromConfig, forwardTransportOptionsFromConfig, otlpTransportOptionsFromConfig, type TelemetryConfig } from "../config/index.js";
import { createFluentLogEncoder, encodeOtlpLogs, encodeOtlpSpans } from "../encoding/index.js";
import { createSink, type Sink, type SinkTarget } from "../reliability/index.js";
// Only the transports' option checkers load with the client (configuration errors surface at
// construction); each transport itself loads on its first send (see createLazyTransport).
import { resolveFileTransportOptions } from "../transports/file/file-transport-options.js";
import { resolveFluentdHttpTransportOptions } from "../transports/fluentd-http/fluentd-http-options.js";
import { resolveForwardTransportOptions } from "../transports/forward/forward-transport-options.js";
import { createLazyTransport } from "../transports/lazy-transport.js";
import { type OtlpExporterOptions, resolveOtlpExporterOptions } from "../transports/otlp/otlp-options.js";
import type { EncodedBatch, Transport } from "../transports/transport.js";

/**
 * A transport whose options are checked now (configuration errors surface at construction) and
 * whose module loads on its first send: `load` imports the module and gives its factory.
 */
function lazilyLoaded<O>(name: string, options: O, check: (options: O) => unknown, load: () => Promise<(options: O) => Transport>): Transport {
  check(options);
  return createLazyTransport(name, async () => (await load())(options));
}

/** The sinks of one client: where its log entries and spans go. */
export interface ClientSinks {
  /** Every log sink: Fluentd (forward or in_http), OTLP logs, and files added with `log.addFile`. */
  readonly logs: Sink<StandardLogEntry>[];
  /** The OTLP traces sink, when traces are on. */
  readonly spans: Sink<StandardTraceSpan> | undefined;
}

/** What the sinks share: the queue bound and where diagnostics go. */
export interface SinkContext {
  readonly maxQueueBytes: number;
  /** Queue bound of the span sink. */
  readonly maxSpanQueueBytes: number;
  readonly onDiagnostic: (message: string) => void;
}

function sink<R>(name: string, target: SinkTarget, transport: Transport, encode: (records: R[]) => EncodedBatch, ctx: SinkContext): Sink<R> {
  return createSink<R>({
    name,
    target,
    transport,
    encode,
    maxQueueBytes: ctx.maxQueueBytes,
    onDiagnostic: ctx.onDiagnostic,
    breaker: { onStateChange: (t) => ctx.onDiagnostic(`${name}: circuit breaker ${t.from} → ${t.to}`) },
  });
}

/**
 * Creates the sinks the configuration asks for. The configuration is the one place that read the
 * environment; transports get explicit options only.
 */
export function createClientSinks(config: TelemetryConfig, fluentdTag: string, ctx: SinkContext): ClientSinks {
  const logs: Sink<StandardLogEntry>[] = [];
  const forward = forwardTransportOptionsFromConfig(config);
  const http = fluentdHttpOptionsFromConfig(config);
  const fluentd: Transport | undefined =
    forward !== undefined
      ? lazilyLoaded("forward", forward, resolveForwardTransportOptions, async () => (await import("../transports/forward/forward-transport.js")).createForwardTransport)
      : http !== undefined
        ? lazilyLoaded("fluentd-http", http, resolveFluentdHttpTransportOptions, async () => (await import("../transports/fluentd-http/fluentd-http-transport.js")).createFluentdHttpTransport)
        : undefined;
  if (fluentd !== undefined) logs.push(sink(`fluentd-${config.fluentd.protocol}`, forward !== undefined ? "forward" : "fluentd-http", fluentd, createFluentLogEncoder(fluentdTag), ctx));
  const otlpHttpTransport = (options: OtlpExporterOptions): Transport =>
    lazilyLoaded("otlp-http", options, resolveOtlpExporterOptions, async () => (await import("../transports/otlp/otlp-http-transport.js")).createOtlpHttpTransport);
  const otlpLogs = otlpTransportOptionsFromConfig(config, "logs");
  if (otlpLogs !== undefined) logs.push(sink("otlp-logs", "otlp-logs", otlpHttpTransport(otlpLogs), encodeOtlpLogs, ctx));
  const otlpTraces = otlpTransportOptionsFromConfig(config, "traces");
  const spans = otlpTraces === undefined ? undefined : sink("otlp-traces", "otlp-traces", otlpHttpTransport(otlpTraces), encodeOtlpSpans, { ...ctx, maxQueueBytes: ctx.maxSpanQueueBytes });
  return { logs, spans };
}

/** A sink appending this service's entries to an NDJSON file for Fluent Bit to tail. */
export function createFileLogSink(path: string, tag: string, ctx: SinkContext): Sink<StandardLogEntry> {
  return sink(`file:${path}`, "file", lazilyLoaded("file", { path, timeKey: "timestamp" }, resolveFileTransportOptions, async () => (await import("../transports/file/file-transport.js")).createFileTransport), createFluentLogEncoder(tag), ctx);
}
