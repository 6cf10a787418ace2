/**
 * A forward-protocol receiver for tests: a `net.createServer` on 127.0.0.1:0 that decodes what it gets
 * with @msgpack/msgpack (an independent decoder, so our writer is not checked by our own reader), reads
 * the messages and plays the shared-key handshake with `runtime/wire/forward` (the server side the
 * local collector uses too), acks chunks, and can answer the way Fluentd (bin nonce, PONG false on a
 * wrong key) or Fluent Bit (str nonce, closes on a wrong key) does.
 */
import { EventEmitter, once } from "node:events";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { decodeMulti, decodeMultiStream, encode, ExtData } from "@msgpack/msgpack";
import { acceptingPong, checkPing, heloMessage, newServerHelo, refusingPong, type ServerHelo } from "../../runtime/wire/forward/handshake.js";
import { ackMessage, chunkToAck, forwardEntries, parseForwardMessage, type ForwardMode } from "../../runtime/wire/forward/protocol.js";

export type { ForwardMode };

/** One decoded forward message. `entries` keep the wire time (ExtData for EventTime, number otherwise). */
export interface ReceivedFrame {
  readonly tag: string;
  readonly mode: ForwardMode;
  readonly entries: ReadonlyArray<readonly [unknown, Record<string, unknown>]>;
  readonly options: Record<string, unknown>;
}

export interface ForwardReceiverOptions {
  /** Require the HELO/PING/PONG handshake with this key. */
  sharedKey?: string;
  selfHostname?: string;
  /** How HELO is encoded and how a wrong key is answered. Default `fluentd`. */
  style?: "fluentd" | "fluent-bit";
  /** Users for password authentication (HELO `auth` salt is then non-empty). */
  users?: Readonly<Record<string, string>>;
  /** Answer `{ack}` to frames with a chunk. Default true. */
  ack?: boolean;
  /** Hold acks until this many are pending, then send them in reverse order. */
  holdAcks?: number;
  /** Send a PONG whose digest was computed with another key (an impostor receiver). */
  wrongPongDigest?: boolean;
  /** Serve TLS with this PEM key and certificate. */
  tls?: { key: string; cert: string };
}

export interface ForwardReceiver {
  readonly port: number;
  readonly frames: ReceivedFrame[];
  /** Every PING received, decoded. */
  readonly pings: unknown[][];
  /** Accepted connections so far. */
  readonly connections: number;
  /** Resolves when at least `count` frames arrived; rejects after `timeoutMs`. */
  waitForFrames(count: number, timeoutMs?: number): Promise<ReceivedFrame[]>;
  /** Destroys every open connection (the server keeps listening). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** Decodes the entries of a Forward / PackedForward / CompressedPackedForward / Message frame (packed ones with @msgpack/msgpack). */
export function decodeFrame(frame: unknown[]): ReceivedFrame {
  const message = parseForwardMessage(frame);
  if (typeof message === "string") throw new Error(message);
  const entries = forwardEntries(message, { decodeAll: (bytes) => [...decodeMulti(bytes)] });
  if (typeof entries === "string") throw new Error(entries);
  const records = entries as ReadonlyArray<readonly [unknown, Record<string, unknown>]>;
  return { tag: message.tag, mode: message.mode, entries: records, options: message.option as Record<string, unknown> };
}

/** The chunk a frame asks to be acknowledged, as `{ack}` bytes; `undefined` when it asks for none. */
export function ackBytes(frame: ReceivedFrame): Uint8Array | undefined {
  const chunk = chunkToAck(frame.options);
  return chunk === undefined ? undefined : encode(ackMessage(chunk));
}

/** `[seconds, nanos]` of an EventTime ExtData (type 0, 8 bytes). */
export function eventTimeOf(time: unknown): [number, number] {
  if (!(time instanceof ExtData) || time.type !== 0 || !(time.data instanceof Uint8Array) || time.data.length !== 8) {
    throw new Error(`not an EventTime: ${String(time)}`);
  }
  const view = new DataView(time.data.buffer, time.data.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

/** msgpack str header + raw bytes (what Fluent Bit does with its binary nonce). */
function rawStr(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from([0xa0 | bytes.length, ...bytes]);
}

function heloBytes(style: "fluentd" | "fluent-bit", helo: ServerHelo): Uint8Array {
  if (style === "fluentd") return encode(heloMessage(helo));
  const { nonce, authSalt } = helo;
  const parts = [encode("HELO"), Uint8Array.of(0x83), encode("nonce"), rawStr(nonce), encode("auth"), rawStr(authSalt), encode("keepalive"), encode(true)];
  return Buffer.concat([Uint8Array.of(0x92), ...parts]);
}

/** Starts a receiver on 127.0.0.1 on a free port. */
export async function startForwardReceiver(options: ForwardReceiverOptions = {}): Promise<ForwardReceiver> {
  const style = options.style ?? "fluentd";
  const selfHostname = options.selfHostname ?? "test-receiver";
  const frames: ReceivedFrame[] = [];
  const pings: unknown[][] = [];
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  let held: Array<{ socket: Socket; ack: Uint8Array }> = [];
  let connections = 0;

  const sendAck = (socket: Socket, ack: Uint8Array): void => {
    if (options.ack === false) return;
    if (options.holdAcks === undefined) {
      socket.write(ack);
      return;
    }
    held.push({ socket, ack });
    if (held.length >= options.holdAcks) {
      for (const h of held.reverse()) h.socket.write(h.ack);
      held = [];
    }
  };

  const serve = async (socket: Socket): Promise<void> => {
    const helo = newServerHelo(options.users !== undefined);
    let authenticated = options.sharedKey === undefined;
    if (!authenticated) socket.write(heloBytes(style, helo));
    let refused = false;
    for await (const message of decodeMultiStream(socket)) {
      if (refused) continue;
      if (!Array.isArray(message)) throw new Error("not an array");
      if (!authenticated) {
        pings.push(message);
        const ping = checkPing(message, helo, { sharedKey: options.sharedKey ?? "", ...(options.users ? { users: options.users } : {}) });
        if (!ping.ok) {
          if (style === "fluent-bit") socket.destroy();
          else socket.end(encode(refusingPong(ping.code === "password" ? ping.reason : "shared_key mismatch")));
          refused = true;
          continue;
        }
        const key = options.wrongPongDigest ? "impostor" : (options.sharedKey ?? "");
        socket.write(encode(acceptingPong(ping, helo, selfHostname, key)));
        authenticated = true;
        continue;
      }
      const frame = decodeFrame(message);
      frames.push(frame);
      events.emit("frame");
      const ack = ackBytes(frame);
      if (ack !== undefined) sendAck(socket, ack);
    }
  };

  const onSocket = (socket: Socket): void => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    serve(socket).catch(() => socket.destroy());
  };
  const server = options.tls ? createTlsServer(options.tls, onSocket) : createNetServer(onSocket);
  if (options.tls) server.on("tlsClientError", () => {});
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    frames,
    pings,
    get connections() {
      return connections;
    },
    async waitForFrames(count, timeoutMs = 5000) {
      const deadline = AbortSignal.timeout(timeoutMs);
      while (frames.length < count) await once(events, "frame", { signal: deadline });
      return frames;
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
