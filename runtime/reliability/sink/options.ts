import type { EncodedBatch, Transport } from "../../transports/transport.js";
import { resolveBackoffOptions, type BackoffOptions } from "../backoff.js";
import { byteBoundedQueueDefaults } from "../byte-bounded-queue.js";
import { resolveCircuitBreakerOptions, type CircuitBreakerOptions } from "../circuit-breaker.js";
import { maxTimerMs, OptionProblems } from "../../config/option-problems.js";
import type { SpoolCodec } from "../spool/spool-codec.js";
import { resolveSpoolOptions, type ResolvedSpoolOptions, type SpoolOptions } from "../spool/spool-options.js";

/**
 * What a sink does with new records while its circuit breaker is `open`:
 * - `buffer` (default): keep queueing them while the byte bound has room, drop the rest as
 *   `queue_full`. A collector restart or a short outage then loses nothing, and the cost per call is
 *   the same as when closed (one queue push, no I/O). Memory is bounded by `maxQueueBytes` either way.
 * - `drop`: count them as `breaker_open` at once (records queued before it opened stay queued). For
 *   callers who prefer fresh data after an outage over the oldest data.
 */
export type WhenBreakerOpen = "buffer" | "drop";

/**
 * What kind of receiver a sink delivers to, so that health readers and the periodic checks can
 * match a sink to its receiver without parsing its name: the Fluentd forward protocol, Fluentd's
 * `in_http`, OTLP traces, logs or metrics, a local file, or `other` (a sink built around any other transport).
 */
export type SinkTarget = "forward" | "fluentd-http" | "otlp-traces" | "otlp-logs" | "otlp-metrics" | "file" | "other";

const sinkTargets = ["forward", "fluentd-http", "otlp-traces", "otlp-logs", "otlp-metrics", "file", "other"] as const;

/**
 * Options of {@link createSink}. Only `transport` and `encode` are required; see {@link sinkDefaults}.
 * `B` is the batch type the transport takes, which `encode` makes.
 */
export interface SinkOptions<R, B extends EncodedBatch = EncodedBatch> {
  /** Where batches go. Its `close()` is called by {@link Sink.shutdown}. */
  transport: Transport<B>;
  /**
   * Encodes a batch of records for the transport (e.g. msgpack forward entries). Called off the hot
   * path, once per batch; the result is reused for every resend. If it throws, the records it cannot
   * encode are dropped as `encode_error` (the sink retries them one by one to keep the good ones).
   */
  encode: (records: R[]) => B;
  /** Name in health and diagnostics. Default `transport.name`. */
  name?: string;
  /** The kind of receiver, in health (see {@link SinkTarget}). Default `other`. */
  target?: SinkTarget;
  /** Bound on the byte estimates of the queued records. Default 32 MiB. */
  maxQueueBytes?: number;
  /** Most records per batch; a full batch is sent without waiting for the flush interval. Default 512. */
  maxBatchRecords?: number;
  /** Most estimated bytes per batch (a single larger record goes alone). Default 1 MiB. */
  maxBatchBytes?: number;
  /**
   * Longest a record waits for more records to join its batch when no full batch is waiting (the sink
   * was idle, or has just delivered a batch), in ms; a flush sends at once. Default 200.
   */
  flushIntervalMs?: number;
  /** What happens to new records while the breaker is open. Default `buffer`; see {@link WhenBreakerOpen}. */
  whenBreakerOpen?: WhenBreakerOpen;
  /** Retry delays after `retryable` outcomes. Defaults: 100 ms × 2 up to 30 s, full jitter. */
  backoff?: BackoffOptions;
  /** The sink's circuit breaker. Defaults: 5 failures, 10 s cool-down doubling up to 5 min. `now` defaults to the sink's. */
  breaker?: CircuitBreakerOptions;
  /**
   * Receives rate-limited diagnostics (the first drop of each reason, the first encode error). Never
   * routed through a sink. Errors it throws are caught and counted. Default: none.
   */
  onDiagnostic?: (message: string) => void;
  /** Clock in ms since the epoch, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Optional disk spool (write-ahead log and overflow) so that accepted records survive a crash or restart
   * of the process, and an outage longer than the memory queue goes to disk instead of being dropped;
   * needs `serialize` and `deserialize`. Default: none (memory only). With it:
   * - a record that fits the memory queue (while nothing is spilled) is queued in memory and appended to the
   *   spool in the write turn after `enqueue` (`health().spool.written`: survives `kill -9`), fdatasync'd
   *   as `spool.fsync` says (`spool.synced`: survives power loss); `enqueue` stays O(1) and does no I/O;
   * - a record that does not fit is spilled: serialized at once and kept on disk only, as is every later
   *   record until the spilled ones are read back (in order, into the room the memory queue has); it counts
   *   as `queued`. `spool.maxBytes` is then the only bound (`queue_full` past it); a serializer, write or
   *   read-back failure drops it as `spool_error`. Memory stays within `maxQueueBytes` plus the spool's
   *   4 MiB write buffer and one 1 MiB read chunk;
   * - segments are deleted once all their records were delivered or dropped — except records dropped
   *   as `shutdown`, which stay on disk for the next process;
   * - at start, records left by an earlier process are read back and sent before new ones
   *   (at-least-once: they may have arrived before the crash), counted in `resent` and `spool.recovered`,
   *   and in `emitted` when read back; corrupt frames are skipped and counted (`spool.corrupt`).
   */
  spool?: SpoolOptions;
  /** Record → bytes for the spool, run in the write turn after `enqueue`. Required with `spool`. */
  serialize?: (record: R) => Uint8Array;
  /** Bytes → record, for records read back from the spool. Required with `spool`. */
  deserialize?: (bytes: Uint8Array) => R;
  /** Resolves when `serialize` and `deserialize` can run (a codec loaded lazily): the spool waits for it to write or read back. Default: ready. */
  codecReady?: Promise<unknown>;
}

/**
 * Defaults of {@link SinkOptions}: batches of up to 512 records (OTel's BatchSpanProcessor size) or
 * 1 MiB (well under Fluent Bit's 6 MB forward buffer and Fluentd's defaults), sent after at most
 * 200 ms of idling (low enough for `tail -f` feel, high enough to batch a burst), buffering while the
 * breaker is open, 5 s for `flush`/`shutdown` when no timeout is given.
 */
export const sinkDefaults = Object.freeze({
  maxQueueBytes: byteBoundedQueueDefaults.maxQueueBytes,
  maxBatchRecords: 512,
  maxBatchBytes: 1024 * 1024,
  flushIntervalMs: 200,
  whenBreakerOpen: "buffer",
  flushTimeoutMs: 5000,
} as const);

/** {@link SinkOptions} after defaults are applied and checked. */
export interface ResolvedSinkOptions<R> {
  readonly transport: Transport;
  readonly encode: (records: R[]) => EncodedBatch;
  readonly name: string;
  readonly target: SinkTarget;
  readonly maxQueueBytes: number;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly flushIntervalMs: number;
  readonly whenBreakerOpen: WhenBreakerOpen;
  readonly backoff: BackoffOptions;
  readonly breaker: CircuitBreakerOptions;
  readonly onDiagnostic: ((message: string) => void) | undefined;
  readonly now: () => number;
  /** The spool's options and codec, or `undefined` without a spool. */
  readonly spool: { readonly options: ResolvedSpoolOptions; readonly codec: SpoolCodec<R> } | undefined;
}

const knownKeys = [
  "transport",
  "encode",
  "name",
  "target",
  "maxQueueBytes",
  "maxBatchRecords",
  "maxBatchBytes",
  "flushIntervalMs",
  "whenBreakerOpen",
  "backoff",
  "breaker",
  "onDiagnostic",
  "now",
  "spool",
  "serialize",
  "deserialize",
  "codecReady",
] as const;

/**
 * Checks options (including the nested `backoff` and `breaker`) and applies {@link sinkDefaults}.
 * The sink reads no environment variables.
 * @throws TelemetryError `config_invalid` naming every bad key, its value and an example of a right one.
 */
export function resolveSinkOptions<R, B extends EncodedBatch = EncodedBatch>(options: SinkOptions<R, B>): ResolvedSinkOptions<R> {
  const problems = new OptionProblems("sink");
  problems.unknownKeys(options ?? {}, knownKeys);
  const transport = options?.transport;
  if (typeof transport !== "object" || transport === null || typeof transport.send !== "function" || typeof transport.close !== "function") {
    problems.add("transport", typeof transport, "a Transport", "createForwardTransport()");
  }
  if (typeof options?.encode !== "function") problems.add("encode", typeof options?.encode, "a function (records) => EncodedBatch");
  const name = options?.name ?? (typeof transport?.name === "string" ? transport.name : "sink");
  if (typeof name !== "string" || name === "") problems.add("name", name, "a non-empty string", '"fluentd"');
  const target = options?.target ?? "other";
  problems.oneOf("target", target, sinkTargets);
  const maxQueueBytes = options?.maxQueueBytes ?? sinkDefaults.maxQueueBytes;
  const maxBatchRecords = options?.maxBatchRecords ?? sinkDefaults.maxBatchRecords;
  const maxBatchBytes = options?.maxBatchBytes ?? sinkDefaults.maxBatchBytes;
  const flushIntervalMs = options?.flushIntervalMs ?? sinkDefaults.flushIntervalMs;
  const whenBreakerOpen = options?.whenBreakerOpen ?? sinkDefaults.whenBreakerOpen;
  problems.integer("maxQueueBytes", maxQueueBytes, 1, Number.MAX_SAFE_INTEGER, "33554432");
  problems.integer("maxBatchRecords", maxBatchRecords, 1, 1_000_000, "512");
  problems.integer("maxBatchBytes", maxBatchBytes, 1, Number.MAX_SAFE_INTEGER, "1048576");
  problems.integer("flushIntervalMs", flushIntervalMs, 0, maxTimerMs, "200");
  problems.oneOf("whenBreakerOpen", whenBreakerOpen, ["buffer", "drop"] as const);
  problems.func("onDiagnostic", options?.onDiagnostic);
  problems.func("now", options?.now);
  const now = options?.now ?? Date.now;
  const backoff = options?.backoff ?? {};
  const breaker = { now, ...options?.breaker };
  for (const [key, check] of [
    ["backoff", () => resolveBackoffOptions(backoff)],
    ["breaker", () => resolveCircuitBreakerOptions(breaker)],
  ] as const) {
    try {
      check();
    } catch (error: unknown) {
      problems.add(key, "{…}", error instanceof Error ? error.message : String(error));
    }
  }
  let spool: ResolvedSinkOptions<R>["spool"];
  if (options?.spool !== undefined) {
    try {
      const spoolOptions = resolveSpoolOptions(options.spool, typeof maxBatchRecords === "number" ? maxBatchRecords : sinkDefaults.maxBatchRecords);
      const { serialize, deserialize } = options;
      if (typeof serialize !== "function") problems.add("serialize", typeof serialize, "a function (record) => Uint8Array, required with spool");
      if (typeof deserialize !== "function") problems.add("deserialize", typeof deserialize, "a function (bytes) => record, required with spool");
      if (typeof serialize === "function" && typeof deserialize === "function")
        spool = { options: spoolOptions, codec: { serialize, deserialize, ready: options.codecReady } };
    } catch (error: unknown) {
      problems.add("spool", "{…}", error instanceof Error ? error.message : String(error));
    }
  } else {
    problems.func("serialize", options?.serialize);
    problems.func("deserialize", options?.deserialize);
  }
  problems.throwIfAny();
  return Object.freeze({
    transport: transport as Transport,
    encode: options.encode,
    name,
    target,
    maxQueueBytes,
    maxBatchRecords,
    maxBatchBytes,
    flushIntervalMs,
    whenBreakerOpen,
    backoff,
    breaker,
    onDiagnostic: options.onDiagnostic,
    now,
    spool,
  });
}
