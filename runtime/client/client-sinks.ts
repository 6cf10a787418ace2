import type { StandardLogEntry, StandardMetric, StandardTraceSpan } from "../../generated/index.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { standardLogEntryToBinary, standardTraceSpanToBinary } from "../encoding/contract-protobuf-writer.js";
import { createFluentCompactLog, type ForwardQueued, type WrittenForwardEntry } from "../encoding/fluent-compact-log.js";
import { createInHttpJsonEncoder } from "../encoding/in-http-json-encoder.js";
import { createInHttpMsgpackEncoder } from "../encoding/in-http-msgpack-encoder.js";
import { createNdjsonLogEncoder } from "../encoding/ndjson-log-encoder.js";
import { encodeOtlpLogs } from "../encoding/otlp-log-encoder.js";
import { encodeOtlpLogsJson } from "../encoding/otlp-log-json-encoder.js";
import { encodeOtlpMetrics } from "../encoding/otlp-metrics-encoder.js";
import { encodeOtlpSpans } from "../encoding/otlp-span-encoder.js";
import { encodeOtlpSpansJson } from "../encoding/otlp-span-json-encoder.js";
import { PackedSpans } from "../encoding/packed-spans.js";
import { CompactingSink } from "../reliability/sink/compacting-sink.js";
import { type DirectLogRoute, forwardDirectRoute } from "./direct-log-route.js";
import { createSink, type Sink } from "../reliability/sink/sink.js";
import { type SinkTarget, sinkDefaults } from "../reliability/sink/options.js";
import type { SpoolCodec } from "../reliability/spool/spool-codec.js";

// Only the transports' option checkers load with the client (configuration errors surface at
// construction); each transport itself loads on its first send (see createLazyTransport). The
// transport modules are imported here for their batch types only, which loads nothing.
import { resolveFileTransportOptions } from "../transports/file/file-transport-options.js";
import { resolveFluentdHttpTransportOptions } from "../transports/fluentd-http/fluentd-http-options.js";
import type { FluentdHttpBatch } from "../transports/fluentd-http/fluentd-http-transport.js";
import { resolveForwardTransportOptions } from "../transports/forward/forward-transport-options.js";
import type { ForwardBatch } from "../transports/forward/forward-transport.js";
import { createLazyTransport } from "../transports/lazy-transport.js";
import { createTranscodingTransport } from "../transports/transcoding-transport.js";
import { type OtlpExporterOptions, resolveOtlpExporterOptions } from "../transports/otlp/otlp-options.js";
import type { EncodedBatch, Transport } from "../transports/transport.js";
import { fluentdHttpOptionsFromConfig, forwardTransportOptionsFromConfig, otlpTransportOptionsFromConfig } from "./transport-options-from-config.js";
import { type ResolvedClientSpool, sinkSpoolDir } from "./client-spool.js";
import { lazySpoolCodec } from "./lazy-spool-codec.js";
import { PackingSpanSink, type QueuedSpan } from "../tracing/packing-span-sink.js";
import { copyIdWords } from "../tracing/span-ids.js";

/**
 * A transport whose options are checked now (configuration errors surface at construction) and
 * whose module loads on its first send: `load` imports the module and gives its factory.
 */
function lazilyLoaded<O, B extends EncodedBatch>(
  name: string,
  options: O,
  check: (options: O) => unknown,
  load: () => Promise<(options: O) => Transport<B>>,
): Transport<B> {
  check(options);
  return createLazyTransport<B>(name, async () => (await load())(options));
}

/** The sinks of one client: where its log entries and spans go. */
export interface ClientSinks {
  /** Every log sink: Fluentd (forward or in_http), OTLP logs, and files added with `log.addFile`. */
  readonly logs: Sink<StandardLogEntry>[];
  /** The OTLP traces sink, when traces are on. */
  readonly spans: Sink<StandardTraceSpan> | undefined;
  /** The Fluentd sink's direct route for log calls, when it has one (forward, no spool). */
  readonly directLogs?: DirectLogRoute;
}

/** What the sinks share: the queue bound and where diagnostics go. */
export interface SinkContext {
  readonly maxQueueBytes: number;
  /** Queue bound of the span sink. */
  readonly maxSpanQueueBytes: number;
  readonly onDiagnostic: (message: string) => void;
  /** The disk spool of the network sinks, when on. */
  readonly spool?: ResolvedClientSpool;
  /** Where the sink named so sends (`127.0.0.1:24224`), for diagnostics. */
  readonly destinationOf?: (sinkName: string) => string;
}

/** ` (127.0.0.1:24224)`: where sink `name` sends, or `""` when unknown. */
function destinationText(ctx: SinkContext, name: string): string {
  const destination = ctx.destinationOf?.(name) ?? "";
  return destination === "" ? "" : ` (${destination})`;
}

/**
 * A record type the spool can write, its protobuf encoding (the contract's own wire form) and back:
 * called only when a spool is configured, which is when its module loads (see {@link lazySpoolCodec}).
 */
type SpoolCodecOf<R> = () => SpoolCodec<R>;

const logEntryCodec: SpoolCodecOf<StandardLogEntry> = () => lazySpoolCodec(standardLogEntryToBinary, (m) => m.logEntryFromBinary);
const spanCodec: SpoolCodecOf<StandardTraceSpan> = () => lazySpoolCodec(standardTraceSpanToBinary, (m) => m.spanFromBinary);

/** A sink named `name` for `target`: the transport with the encoder that writes its batches. */
function sink<R, B extends EncodedBatch>(
  name: string,
  target: SinkTarget,
  transport: Transport<B>,
  encode: (records: R[]) => B,
  ctx: SinkContext,
  codecOf?: SpoolCodecOf<R>,
  maxBatchRecords?: number,
): Sink<R> {
  const spool = ctx.spool;
  const codec = spool === undefined ? undefined : codecOf?.();
  return createSink<R, B>({
    ...(spool === undefined || codec === undefined
      ? {}
      : {
          spool: { dir: sinkSpoolDir(spool, name), maxBytes: spool.maxBytes, fsync: spool.fsync },
          serialize: codec.serialize,
          deserialize: codec.deserialize,
          codecReady: codec.ready,
        }),
    name,
    target,
    transport,
    encode,
    maxQueueBytes: ctx.maxQueueBytes,
    ...(maxBatchRecords === undefined ? {} : { maxBatchRecords }),
    onDiagnostic: ctx.onDiagnostic,
    breaker: { onStateChange: (t) => ctx.onDiagnostic(`${name}${destinationText(ctx, name)}: circuit breaker ${t.from} → ${t.to}`) },
  });
}

/**
 * Most entries in one forward batch (the byte cap, 1 MiB, still applies: about 2,000 typical entries).
 * A batch's send, ack and socket write cost about the same whatever its size, so bigger batches cost
 * less per entry: measured 15% less CPU per delivered entry in a burst and 9% steady than with the
 * sinks' default of 512 (`bench/results/cpu-per-record.md`). Fluentd and Fluent Bit take forward
 * chunks far larger (Fluent Bit's `buffer_chunk_size` is 1 MiB, its `buffer_max_size` 6 MB).
 */
const forwardBatchRecords = 4096;

/**
 * The Fluentd sink, if configured: forward msgpack entries over the forward protocol, or an
 * `in_http` msgpack or JSON array (as the transport's `format` says) over HTTP.
 */
function fluentdSink(config: TelemetryConfig, tag: string, ctx: SinkContext): { sink: Sink<StandardLogEntry>; direct?: DirectLogRoute } | undefined {
  const name = `fluentd-${config.fluentd.protocol}`;
  const forward = forwardTransportOptionsFromConfig(config);
  if (forward !== undefined) {
    const load = async () => (await import("../transports/forward/forward-transport.js")).createForwardTransport;
    const transport = lazilyLoaded<typeof forward, ForwardBatch>("forward", forward, resolveForwardTransportOptions, load);
    // While the receiver is away, entries wait as their encoded bytes (0.41× their heap). With a
    // spool they wait on disk instead (as their protobuf: msgpack would spill larger), never compacted.
    const compact = createFluentCompactLog(tag);
    if (ctx.spool !== undefined) return { sink: sink(name, "forward", transport, compact.encode, ctx, logEntryCodec, forwardBatchRecords) };
    const compacting = new CompactingSink<StandardLogEntry, WrittenForwardEntry>(
      sink<ForwardQueued, ForwardBatch>(name, "forward", transport, compact.encode, ctx, undefined, forwardBatchRecords),
      compact.compact,
      compact.bytesOf,
    );
    return { sink: compacting, direct: forwardDirectRoute(compacting, compact) };
  }
  const http = fluentdHttpOptionsFromConfig(config);
  if (http === undefined) return undefined;
  const load = async () => (await import("../transports/fluentd-http/fluentd-http-transport.js")).createFluentdHttpTransport;
  const transport = lazilyLoaded<typeof http, FluentdHttpBatch>("fluentd-http", http, resolveFluentdHttpTransportOptions, load);
  const encode = resolveFluentdHttpTransportOptions(http).format === "json" ? createInHttpJsonEncoder(tag) : createInHttpMsgpackEncoder(tag);
  return { sink: sink(name, "fluentd-http", transport, encode, ctx, logEntryCodec) };
}

/** The OTLP transport of `options.protocol`: gRPC (connect-node, loaded on the first send) or HTTP (protobuf or JSON). */
function otlpTransport(options: OtlpExporterOptions): Transport {
  if (options.protocol === "grpc") {
    const load = async () => (await import("../transports/otlp/otlp-grpc-transport.js")).createOtlpGrpcTransport;
    return lazilyLoaded("otlp-grpc", options, resolveOtlpExporterOptions, load);
  }
  const load = async () => (await import("../transports/otlp/otlp-http-transport.js")).createOtlpHttpTransport;
  return lazilyLoaded("otlp-http", options, resolveOtlpExporterOptions, load);
}

/** The encoder `options.protocol` reads: OTLP/JSON for `http/json`, else protobuf (gRPC sends the protobuf bytes as they are). */
function otlpEncoder<R>(options: OtlpExporterOptions, protobuf: (records: R[]) => EncodedBatch, json: (records: R[]) => EncodedBatch) {
  return options.protocol === "http/json" ? json : protobuf;
}

/**
 * Creates the sinks the configuration asks for, each with the encoder its receiver reads. The
 * configuration is the one place that read the environment; transports get explicit options only.
 */
export function createClientSinks(config: TelemetryConfig, fluentdTag: string, ctx: SinkContext): ClientSinks {
  const logs: Sink<StandardLogEntry>[] = [];
  const fluentd = fluentdSink(config, fluentdTag, ctx);
  if (fluentd !== undefined) logs.push(fluentd.sink);
  const otlpLogs = otlpTransportOptionsFromConfig(config, "logs");
  const extra = config.resourceAttributes;
  const encodeLogs = (entries: StandardLogEntry[]): EncodedBatch => encodeOtlpLogs(entries, extra);
  const encodeLogsJson = (entries: StandardLogEntry[]): EncodedBatch => encodeOtlpLogsJson(entries, extra);
  if (otlpLogs !== undefined)
    logs.push(sink("otlp-logs", "otlp-logs", otlpTransport(otlpLogs), otlpEncoder(otlpLogs, encodeLogs, encodeLogsJson), ctx, logEntryCodec));
  const otlpTraces = otlpTransportOptionsFromConfig(config, "traces");
  const spanCtx = { ...ctx, maxQueueBytes: ctx.maxSpanQueueBytes };
  const encodeSpans = (spans: StandardTraceSpan[]): EncodedBatch => encodeOtlpSpans(spans, extra);
  const encodeSpansJson = (spans: StandardTraceSpan[]): EncodedBatch => encodeOtlpSpansJson(spans, extra);
  const spans = otlpTraces === undefined ? undefined : spanSink(otlpTraces, spanCtx, encodeSpans, encodeSpansJson);
  return { logs, spans, ...(fluentd?.direct === undefined ? {} : { directLogs: fluentd.direct }) };
}

/** The OTLP traces sink: spans wait packed (see {@link PackingSpanSink}), or as messages with a spool (whose codec writes messages). */
function spanSink(
  options: OtlpExporterOptions,
  ctx: SinkContext,
  protobuf: (spans: StandardTraceSpan[]) => EncodedBatch,
  json: (spans: StandardTraceSpan[]) => EncodedBatch,
): Sink<StandardTraceSpan> {
  const encode = otlpEncoder(options, protobuf, json);
  if (ctx.spool !== undefined) return sink("otlp-traces", "otlp-traces", otlpTransport(options), encode, ctx, spanCodec);
  const packed = new PackedSpans(ctx.maxQueueBytes, sinkDefaults.maxBatchRecords, copyIdWords);
  const inner = sink<QueuedSpan, EncodedBatch>("otlp-traces", "otlp-traces", otlpTransport(options), (records) => encode(packed.unpackAll(records)), ctx);
  return new PackingSpanSink(inner, packed);
}

/** A sink appending this service's entries as NDJSON (time under `timestamp`) to a file for Fluent Bit to tail. */
export function createFileLogSink(path: string, tag: string, ctx: SinkContext): Sink<StandardLogEntry> {
  const load = async () => (await import("../transports/file/file-transport.js")).createFileTransport;
  const transport = lazilyLoaded("file", { path }, resolveFileTransportOptions, load);
  return sink(`file:${path}`, "file", transport, createNdjsonLogEncoder(tag, { timeKey: "timestamp" }), ctx);
}

/**
 * The OTLP metrics sink: points to `config.otlp.metricsEndpoint` with that signal's protocol, each
 * request within `exportTimeoutMs` (or the signal's own timeout if shorter). `undefined` when
 * metrics are not exported (`OTEL_METRICS_EXPORTER=none`, `OTEL_ENABLED=false`...).
 */
export function createMetricsSink(config: TelemetryConfig, exportTimeoutMs: number, ctx: SinkContext): Sink<StandardMetric> | undefined {
  const base = otlpTransportOptionsFromConfig(config, "metrics");
  if (base === undefined) return undefined;
  const options: OtlpExporterOptions = { ...base, timeoutMs: Math.min(base.timeoutMs ?? exportTimeoutMs, exportTimeoutMs) };
  const extra = config.resourceAttributes;
  const encode = (points: StandardMetric[]): EncodedBatch => encodeOtlpMetrics(points, extra);
  const transport = options.protocol === "http/json" ? otlpJsonMetricsTransport(options) : otlpTransport(options);
  return sink("otlp-metrics", "otlp-metrics", transport, encode, ctx);
}

/**
 * OTLP/JSON metrics over HTTP: the sink encodes protobuf and the transport, with its modules on the
 * first send, rewrites each batch as OTLP/JSON with protobuf-es's reflection (metrics have no JSON
 * encoder of their own), so that neither protobuf-es nor the OTLP descriptors load with the client.
 */
function otlpJsonMetricsTransport(options: OtlpExporterOptions): Transport {
  const load = async () => {
    const [http, json, pb] = await Promise.all([
      import("../transports/otlp/otlp-http-transport.js"),
      import("../encoding/otlp-json-transcoder.js"),
      import("../../generated/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js"),
    ]);
    return (o: OtlpExporterOptions) =>
      createTranscodingTransport(http.createOtlpHttpTransport(o), (batch) => json.otlpJsonBatch(pb.ExportMetricsServiceRequestSchema, batch));
  };
  return lazilyLoaded("otlp-http", options, resolveOtlpExporterOptions, load);
}
