import { connect } from "node:net";
import type { StandardLogEntry } from "../../generated/index.js";
import { forwardTransportOptionsFromConfig, fluentdHttpOptionsFromConfig } from "../client/transport-options-from-config.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import type { FluentdProtocol } from "../config/service-defaults.js";
import { createFluentLogEncoder } from "../encoding/fluent-log-encoder.js";
import { createInHttpJsonEncoder } from "../encoding/in-http-json-encoder.js";
import { createInHttpMsgpackEncoder } from "../encoding/in-http-msgpack-encoder.js";
import { ForwardConnection, resultOf } from "../transports/forward/forward-connection.js";
import { resolveForwardTransportOptions } from "../transports/forward/forward-transport-options.js";
import { resolveFluentdHttpTransportOptions } from "../transports/fluentd-http/fluentd-http-options.js";
import { createFluentdHttpTransport } from "../transports/fluentd-http/fluentd-http-transport.js";
import { TransportError } from "../transports/transport-error.js";
import type { SendResult } from "../transports/transport.js";
import { newChunkId, writeForwardOption, writePackedForwardHead } from "../wire/forward/protocol.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";

/**
 * What `ConnectionManager.ensureFluentdConnection()` gives: an open connection to Fluentd (forward:
 * connected and, with a shared key, handshaken; http: the `in_http` port reachable, a keep-alive
 * client). `send` never throws or rejects.
 */
export interface FluentdClient {
  /** `forward` or `http`, as configured. */
  readonly protocol: FluentdProtocol;
  readonly host: string;
  readonly port: number;
  /** Whether the connection is still usable (forward: the socket is open). */
  readonly open: boolean;
  /** Sends contract log entries (build them with `@emp/telemetry/contract`) under `tag`; resolves with Fluentd's answer (forward: the ack). */
  send(entries: readonly StandardLogEntry[], tag: string): Promise<SendResult>;
  /** Closes the connection. Never rejects. */
  close(): Promise<void>;
}

/** A forward-protocol client on one handshaken connection. */
class ForwardFluentdClient implements FluentdClient {
  readonly protocol = "forward";
  readonly host: string;
  readonly port: number;
  readonly #connection: ForwardConnection;
  readonly #writer = new MsgpackWriter(256);
  #open = true;

  constructor(connection: ForwardConnection, host: string, port: number) {
    this.#connection = connection;
    this.host = host;
    this.port = port;
  }

  /** Marks the client closed when its socket closes. */
  markClosed(): void {
    this.#open = false;
  }

  get open(): boolean {
    return this.#open;
  }

  async send(entries: readonly StandardLogEntry[], tag: string): Promise<SendResult> {
    try {
      if (!this.#open) return resultOf(new TransportError("the Fluentd connection is closed; call ensureFluentdConnection() again", "unavailable"));
      const batch = createFluentLogEncoder(tag)(entries);
      if (batch.count === 0) return { status: "ok" };
      const chunk = newChunkId();
      const w = this.#writer;
      w.reset();
      writePackedForwardHead(w, tag, batch.body.byteLength);
      const head = w.toBytes();
      w.reset();
      writeForwardOption(w, { size: batch.count, chunk, compressed: false });
      return await this.#connection.send(head, batch.body, w.toBytes(), chunk);
    } catch (error: unknown) {
      return { status: "failed", error: TransportError.from(error, "internal") };
    }
  }

  async close(): Promise<void> {
    this.#open = false;
    await this.#connection.close();
  }
}

/** Opens a forward connection and waits for it to be ready; the error when it could not. */
async function openForward(config: TelemetryConfig): Promise<FluentdClient | TransportError> {
  const options = resolveForwardTransportOptions(forwardTransportOptionsFromConfig(config));
  let client: ForwardFluentdClient | undefined;
  const connection = new ForwardConnection(options, () => client?.markClosed());
  const failure = await connection.ready;
  if (failure !== undefined) return failure;
  client = new ForwardFluentdClient(connection, options.host, options.port);
  return client;
}

/** Whether a TCP connection to host:port opens within `timeoutMs`; the error when not. */
function reachable(host: string, port: number, timeoutMs: number): Promise<TransportError | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (error: TransportError | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    };
    const timer = setTimeout(() => done(new TransportError(`no connection to ${host}:${port} within ${timeoutMs} ms`, "unavailable")), timeoutMs);
    timer.unref();
    socket.once("connect", () => done(undefined));
    socket.once("error", (error) => done(TransportError.from(error, "unavailable")));
  });
}

/** An `in_http` client: reachability checked, then a keep-alive HTTP transport. */
async function openHttp(config: TelemetryConfig, timeoutMs: number): Promise<FluentdClient | TransportError> {
  const failure = await reachable(config.fluentd.host, config.fluentd.port, timeoutMs);
  if (failure !== undefined) return failure;
  const options = resolveFluentdHttpTransportOptions(fluentdHttpOptionsFromConfig(config));
  const transport = createFluentdHttpTransport(options);
  const encoderOf = options.format === "json" ? createInHttpJsonEncoder : createInHttpMsgpackEncoder;
  let open = true;
  return {
    protocol: "http",
    host: config.fluentd.host,
    port: config.fluentd.port,
    get open() {
      return open;
    },
    send: (entries, tag) => transport.send(encoderOf(tag)(entries)),
    close: async () => {
      open = false;
      await transport.close();
    },
  };
}

/**
 * One attempt at a Fluentd client for `config`: a TransportError (never thrown) when Fluentd is off,
 * unreachable, or refused the handshake.
 */
export async function openFluentdClient(config: TelemetryConfig, timeoutMs: number): Promise<FluentdClient | TransportError> {
  try {
    if (!config.fluentd.enabled) return new TransportError("the Fluentd sink is off in this configuration", "unavailable");
    return config.fluentd.protocol === "forward" ? await openForward(config) : await openHttp(config, timeoutMs);
  } catch (error: unknown) {
    return TransportError.from(error, "internal");
  }
}
