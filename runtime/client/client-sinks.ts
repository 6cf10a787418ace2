import type { StandardLogEntry, StandardTraceSpan } from "../../generated/index.js";
import { fluentdHttpOptionsFromConfig, forwardTransportOptionsFromConfig, otlpTransportOptionsFromConfig, type TelemetryConfig } from "../config/index.js";
import { createFluentLogEncoder, encodeOtlpLogs, encodeOtlpSpans } from "../encoding/index.js";
import { createSink, type Sink } from "../reliability/index.js";
// Transport modules one by one: the transports' index also exports the OpenTelemetry exporter
// wrappers, which the client does not need and which cost start-up time.
import { createFileTransport } from "../transports/file/file-transport.js";
import { createFluentdHttpTransport } from "../transports/fluentd-http/fluentd-http-transport.js";
import { createForwardTransport } from "../transports/forward/forward-transport.js";
import { createOtlpHttpTransport } from "../transports/otlp/otlp-http-transport.js";
import type { EncodedBatch, Transport } from "../transports/transport.js";

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

function sink<R>(name: string, transport: Transport, encode: (records: R[]) => EncodedBatch, ctx: SinkContext): Sink<R> {
  return createSink<R>({
    name,
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
  const fluentd: Transport | undefined = forward !== undefined ? createForwardTransport(forward) : http !== undefined ? createFluentdHttpTransport(http) : undefined;
  if (fluentd !== undefined) logs.push(sink(`fluentd-${config.fluentd.protocol}`, fluentd, createFluentLogEncoder(fluentdTag), ctx));
  const otlpLogs = otlpTransportOptionsFromConfig(config, "logs");
  if (otlpLogs !== undefined) logs.push(sink("otlp-logs", createOtlpHttpTransport(otlpLogs), encodeOtlpLogs, ctx));
  const otlpTraces = otlpTransportOptionsFromConfig(config, "traces");
  const spans = otlpTraces === undefined ? undefined : sink("otlp-traces", createOtlpHttpTransport(otlpTraces), encodeOtlpSpans, { ...ctx, maxQueueBytes: ctx.maxSpanQueueBytes });
  return { logs, spans };
}

/** A sink appending this service's entries to an NDJSON file for Fluent Bit to tail. */
export function createFileLogSink(path: string, tag: string, ctx: SinkContext): Sink<StandardLogEntry> {
  return sink(`file:${path}`, createFileTransport({ path, timeKey: "timestamp" }), createFluentLogEncoder(tag), ctx);
}
