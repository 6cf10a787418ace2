/**
 * A forward-protocol receiver for tests: a `net.createServer` on 127.0.0.1:0 that decodes what it gets
 * with @msgpack/msgpack (an independent decoder), acks chunks and can play the shared-key handshake
 * the way Fluentd (bin nonce, PONG false on a wrong key) or Fluent Bit (str nonce, closes on a wrong
 * key) does.
 */
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { gunzipSync } from "node:zlib";
import { decodeMulti, decodeMultiStream, encode, ExtData } from "@msgpack/msgpack";

export type ForwardMode = "Message" | "Forward" | "PackedForward" | "CompressedPackedForward";

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

/** Decodes the entries of a Forward / PackedForward / CompressedPackedForward / Message frame. */
export function decodeFrame(frame: unknown[]): ReceivedFrame {
  const tag = String(frame[0]);
  const body = frame[1];
  if (body instanceof Uint8Array) {
    const options = (frame[2] ?? {}) as Record<string, unknown>;
    const compressed = options.compressed === "gzip";
    const bytes = compressed ? gunzipSync(body) : body;
    const entries = [...decodeMulti(bytes)] as Array<[unknown, Record<string, unknown>]>;
    return { tag, mode: compressed ? "CompressedPackedForward" : "PackedForward", entries, options };
  }
  if (Array.isArray(body)) {
    return { tag, mode: "Forward", entries: body as Array<[unknown, Record<string, unknown>]>, options: (frame[2] ?? {}) as Record<string, unknown> };
  }
  return { tag, mode: "Message", entries: [[body, frame[2] as Record<string, unknown>]], options: (frame[3] ?? {}) as Record<string, unknown> };
}

/** `[seconds, nanos]` of an EventTime ExtData (type 0, 8 bytes). */
export function eventTimeOf(time: unknown): [number, number] {
  if (!(time instanceof ExtData) || time.type !== 0 || !(time.data instanceof Uint8Array) || time.data.length !== 8) {
    throw new Error(`not an EventTime: ${String(time)}`);
  }
  const view = new DataView(time.data.buffer, time.data.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

function sha512Hex(...parts: Array<string | Uint8Array>): string {
  const hash = createHash("sha512");
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

/** msgpack str header + raw bytes (what Fluent Bit does with its binary nonce). */
function rawStr(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from([0xa0 | bytes.length, ...bytes]);
}

function heloBytes(style: "fluentd" | "fluent-bit", nonce: Uint8Array, authSalt: Uint8Array): Uint8Array {
  if (style === "fluentd") return encode(["HELO", { nonce, auth: authSalt, keepalive: true }]);
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
  let held: Array<{ socket: Socket; chunk: unknown }> = [];
  let connections = 0;

  const sendAck = (socket: Socket, chunk: unknown): void => {
    if (options.ack === false) return;
    if (options.holdAcks === undefined) {
      socket.write(encode({ ack: chunk }));
      return;
    }
    held.push({ socket, chunk });
    if (held.length >= options.holdAcks) {
      for (const h of held.reverse()) h.socket.write(encode({ ack: h.chunk }));
      held = [];
    }
  };

  const serve = async (socket: Socket): Promise<void> => {
    const nonce = randomBytes(16);
    const authSalt = options.users ? randomBytes(16) : new Uint8Array(0);
    let authenticated = options.sharedKey === undefined;
    if (!authenticated) socket.write(heloBytes(style, nonce, authSalt));
    let refused = false;
    for await (const message of decodeMultiStream(socket)) {
      if (refused) continue;
      if (!Array.isArray(message)) throw new Error("not an array");
      if (!authenticated) {
        pings.push(message);
        const [kind, hostname, salt, digest, username, passwordDigest] = message as string[];
        const keyOk = kind === "PING" && digest === sha512Hex(salt ?? "", hostname ?? "", nonce, options.sharedKey ?? "");
        const userOk = !options.users || (typeof username === "string" && options.users[username] !== undefined &&
          passwordDigest === sha512Hex(authSalt, username, options.users[username] ?? ""));
        if (!keyOk || !userOk) {
          if (style === "fluent-bit") socket.destroy();
          else socket.end(encode(["PONG", false, keyOk ? "username/password mismatch" : "shared_key mismatch", "", ""]));
          refused = true;
          continue;
        }
        const key = options.wrongPongDigest ? "impostor" : (options.sharedKey ?? "");
        socket.write(encode(["PONG", true, "", selfHostname, sha512Hex(salt ?? "", selfHostname, nonce, key)]));
        authenticated = true;
        continue;
      }
      const frame = decodeFrame(message);
      frames.push(frame);
      events.emit("frame");
      if (frame.options.chunk !== undefined) sendAck(socket, frame.options.chunk);
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
