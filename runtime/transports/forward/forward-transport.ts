import { inspect, promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { EncodedBatch, SendResult, Transport } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { ForwardConnection, resultOf } from "./forward-connection.js";
import {
  redactForwardTransportOptions,
  resolveForwardTransportOptions,
  type ForwardTransportOptions,
  type ResolvedForwardTransportOptions,
} from "./forward-transport-options.js";
import { newChunkId, writeForwardOption, writePackedForwardHead } from "../../wire/forward/protocol.js";
import { MsgpackWriter } from "../../wire/msgpack-writer.js";

const gzip = promisify(gzipCallback);
const ok: SendResult = Object.freeze({ status: "ok" });

/**
 * A batch for the forward protocol: `body` is the concatenation of msgpack `[EventTime, record]`
 * entries (the entries of a PackedForward message), `count` the number of entries (option `size`).
 */
export interface ForwardBatch extends EncodedBatch {
  /** Fluentd tag (routing key) of every entry, e.g. `app.api`. */
  readonly tag: string;
  /**
   * More entries after `body`'s, when they lie in several buffers (sent one after the other, with no
   * copy); `bytes` counts them too. Default: none.
   */
  readonly rest?: readonly Uint8Array[];
}

/** The entries of a batch: its body, or its body and the parts after it. */
function entriesOf(batch: ForwardBatch): Uint8Array | readonly Uint8Array[] {
  return batch.rest === undefined || batch.rest.length === 0 ? batch.body : [batch.body, ...batch.rest];
}

/** How many bytes `entries` hold. */
function byteLengthOf(entries: Uint8Array | readonly Uint8Array[]): number {
  if (entries instanceof Uint8Array) return entries.byteLength;
  let n = 0;
  for (const part of entries) n += part.byteLength;
  return n;
}

/**
 * Tries of one batch against a peer that answers something other than the forward protocol (garbage,
 * an HTTP reply, a stray msgpack value): it may still have the records (a restarting proxy, a load
 * balancer's page), so a new connection is tried, {@link garbledRetryDelayMs} × the try number apart.
 */
const garbledAttempts = 3;
const garbledRetryDelayMs = 50;

/**
 * Fluentd forward protocol v1 client over one lazily (re)opened TCP or TLS connection.
 * Each batch goes out as PackedForward `[tag, bin(entries), {size: events, chunk}]` (or
 * CompressedPackedForward with `compressed: "gzip"`) and waits for `{ack: chunk}`; many batches can
 * be in flight on one connection. See {@link createForwardTransport} for the failure behaviour.
 */
class ForwardTransport implements Transport<ForwardBatch> {
  readonly name = "forward";
  readonly #options: ResolvedForwardTransportOptions;
  readonly #writer = new MsgpackWriter(256);
  #connection: ForwardConnection | undefined;
  #closed = false;

  constructor(options: ResolvedForwardTransportOptions) {
    this.#options = options;
  }

  async send(batch: ForwardBatch, signal?: AbortSignal): Promise<SendResult> {
    try {
      if (this.#closed) return { status: "failed", error: new TransportError("transport is closed", "shutdown") };
      if (signal?.aborted) return aborted(signal);
      if (batch.count === 0) return ok;
      const chunk = newChunkId();
      const parts = entriesOf(batch);
      const entries = this.#options.gzip ? await gzip(parts instanceof Uint8Array ? parts : Buffer.concat(parts)) : parts;
      const writer = this.#writer;
      writer.reset();
      writePackedForwardHead(writer, batch.tag, byteLengthOf(entries));
      const head = writer.toBytes();
      writer.reset();
      writeForwardOption(writer, { size: batch.count, chunk, compressed: this.#options.gzip });
      const tail = writer.toBytes();

      for (let attempt = 1; ; attempt++) {
        const { result, garbled } = await this.#sendOnce(head, entries, tail, chunk, signal);
        if (!garbled || attempt >= garbledAttempts || this.#closed || signal?.aborted) return result;
        await pause(garbledRetryDelayMs * attempt, signal);
      }
    } catch (error: unknown) {
      return { status: "failed", error: TransportError.from(error, "internal") };
    }
  }

  /** One try on the current (or a new) connection; `garbled` when the peer did not speak the forward protocol. */
  async #sendOnce(
    head: Uint8Array,
    entries: Uint8Array | readonly Uint8Array[],
    tail: Uint8Array,
    chunk: string,
    signal?: AbortSignal,
  ): Promise<{ result: SendResult; garbled: boolean }> {
    const connection = this.#connect();
    const failure = await connection.ready;
    if (failure) return { result: resultOf(failure), garbled: connection.garbled };
    if (this.#closed) return { result: { status: "retryable", error: new TransportError("transport closed", "shutdown") }, garbled: false };
    if (signal?.aborted) return { result: aborted(signal), garbled: false };
    const result = await connection.send(head, entries, tail, chunk, signal);
    return { result, garbled: result.status === "failed" && connection.garbled };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    try {
      await connection?.close();
    } catch {
      // close() of a connection only awaits the socket's close event; nothing to count here.
    }
  }

  [inspect.custom](_depth: number, inspectOptions: object): string {
    const state = { ...redactForwardTransportOptions(this.#options), inFlight: this.#connection?.inFlight ?? 0, closed: this.#closed };
    return `ForwardTransport ${inspect(state, inspectOptions)}`;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, options: redactForwardTransportOptions(this.#options) };
  }

  #connect(): ForwardConnection {
    if (this.#connection) return this.#connection;
    const connection: ForwardConnection = new ForwardConnection(this.#options, () => {
      if (this.#connection === connection) this.#connection = undefined;
    });
    this.#connection = connection;
    return connection;
  }
}

/** Resolves after `ms` (an unref'd timer), or at once when `signal` aborts. Never rejects. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener("abort", done, { once: true });
  });
}

function aborted(signal: AbortSignal): SendResult {
  return { status: "retryable", error: new TransportError("send aborted", "shutdown", { cause: signal.reason }) };
}

/**
 * Creates a Fluentd forward-protocol v1 transport (Fluentd `in_forward`, Fluent Bit `forward` input).
 *
 * - Connects lazily on the first send and again on the next send after the connection closed; it
 *   does not back off by itself (the caller's retry policy does).
 * - With `sharedKey` it runs the HELO/PING/PONG handshake and checks the receiver's PONG digest.
 * - `send` resolves `ok` on `{ack}`; `retryable` with `ack_timeout` after `ackTimeoutMs`, with
 *   `unavailable` when the connection is refused, reset or closed while batches are in flight
 *   (resend them: delivery is at-least-once); `failed` with `rejected` for a wrong shared key or
 *   credentials (the message names FLUENTD_SHARED_KEY, never the key), with `protocol` when the peer
 *   is not a forward receiver (after 3 connections, 50 and 100 ms apart, when it answered something
 *   other than the forward protocol: it may have the records), with `shutdown` after `close()`.
 * - Never throws or rejects after construction; timers are unref'd and the socket is unref'd while
 *   no ack is awaited. `util.inspect` and `JSON.stringify` show the options with secrets redacted.
 *
 * @throws TelemetryConfigError `config_invalid` from {@link resolveForwardTransportOptions} on bad options.
 */
export function createForwardTransport(options?: ForwardTransportOptions): Transport<ForwardBatch> {
  return new ForwardTransport(resolveForwardTransportOptions(options));
}
