import type { StandardLogEntry, StandardTraceSpan } from "../../generated/index.js";
import { forwardTransportOptionsFromConfig, revealHeaders, type TelemetryConfig } from "../config/index.js";
import { createFluentLogEncoder, encodeOtlpLogs, encodeOtlpSpans } from "../encoding/index.js";
import { createSink, type Sink } from "../reliability/index.js";
import {
  createFileTransport,
  createFluentdHttpTransport,
  createForwardTransport,
  createOtlpHttpTransport,
  type EncodedBatch,
  type Transport,
} from "../transports/index.js";

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
  readonly onDiagnostic: (message: string) => void;
}

function sink<R>(name: string, transport: Transport, encode: (records: R[]) => EncodedBatch, ctx: SinkContext): Sink<R> {
  return createSink<R>({ name, transport, encode, maxQueueBytes: ctx.maxQueueBytes, onDiagnostic: ctx.onDiagnostic });
}

/**
 * Creates the sinks the configuration asks for. The configuration is the one place that read the
 * environment; transports get explicit options only.
 */
export function createClientSinks(config: TelemetryConfig, fluentdTag: string, ctx: SinkContext): ClientSinks {
  const logs: Sink<StandardLogEntry>[] = [];
  if (config.fluentd.enabled) {
    const forward = forwardTransportOptionsFromConfig(config);
    const transport =
      forward !== undefined
        ? createForwardTransport(forward)
        : createFluentdHttpTransport({ url: `${config.fluentd.tls ? "https" : "http"}://${config.fluentd.host}:${config.fluentd.port}`, format: "msgpack" });
    logs.push(sink(`fluentd-${config.fluentd.protocol}`, transport, createFluentLogEncoder(fluentdTag), ctx));
  }
  const otlp = (url: string): Transport =>
    createOtlpHttpTransport({ url, headers: revealHeaders(config.otlp.headers), compression: config.otlp.gzip ? "gzip" : "none" });
  if (config.otlp.logsEndpoint !== undefined) logs.push(sink("otlp-logs", otlp(config.otlp.logsEndpoint), encodeOtlpLogs, ctx));
  const spans = config.otlp.tracesEndpoint !== undefined ? sink("otlp-traces", otlp(config.otlp.tracesEndpoint), encodeOtlpSpans, ctx) : undefined;
  return { logs, spans };
}

/** A sink appending this service's entries to an NDJSON file for Fluent Bit to tail. */
export function createFileLogSink(path: string, tag: string, ctx: SinkContext): Sink<StandardLogEntry> {
  return sink(`file:${path}`, createFileTransport({ path, timeKey: "timestamp" }), createFluentLogEncoder(tag), ctx);
}
