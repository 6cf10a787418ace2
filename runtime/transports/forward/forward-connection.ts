import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { SendResult } from "../transport.js";
import { TransportError } from "../transport-error.js";
import { AckTracker } from "./ack-tracker.js";
import { buildPing, checkPong, isHelo, parseHelo, type Helo, type Ping } from "../../wire/forward/handshake.js";
import { ackedChunk, packMessage } from "../../wire/forward/protocol.js";
import { MsgpackStreamDecoder } from "../../wire/msgpack-decoder.js";
import type { ResolvedForwardTransportOptions } from "./forward-transport-options.js";

type State = "connecting" | "helo" | "pong" | "ready" | "closed";

const keyHint = "check FLUENTD_SHARED_KEY (sharedKey) matches the receiver's shared_key";

/** Maps an error to the send result it implies: network trouble and timeouts are retryable, the rest not. */
export function resultOf(error: TransportError): SendResult {
  return error.code === "unavailable" || error.code === "ack_timeout" || error.code === "shutdown"
    ? { status: "retryable", error }
    : { status: "failed", error };
}

/**
 * One TCP/TLS connection to a forward receiver: connect, optional HELO/PING/PONG handshake, then
 * frames out and `{ack}`s in, many in flight at once. It starts connecting when constructed;
 * `ready` resolves `undefined` once frames may be sent, or the error that ended it (never rejects).
 * When the socket closes every pending send resolves (`retryable` `unavailable`, or `failed`
 * `rejected`/`protocol` when the peer refused us or spoke something else) and `onClosed` runs.
 * The socket is unref'd while no ack is awaited.
 */
export class ForwardConnection {
  readonly ready: Promise<TransportError | undefined>;
  readonly #options: ResolvedForwardTransportOptions;
  readonly #socket: Socket;
  readonly #decoder = new MsgpackStreamDecoder(65536);
  readonly #acks: AckTracker;
  readonly #onClosed: () => void;
  readonly #timer: NodeJS.Timeout;
  #state: State = "connecting";
  #resolveReady: ((error: TransportError | undefined) => void) | undefined;
  #failure: TransportError | undefined;
  #helo: Helo | undefined;
  #ping: Ping | undefined;
  #garbled = false;

  constructor(options: ResolvedForwardTransportOptions, onClosed: () => void) {
    this.#options = options;
    this.#onClosed = onClosed;
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
    this.#acks = new AckTracker((busy) => (busy ? this.#socket.ref() : this.#socket.unref()));
    this.#timer = setTimeout(() => this.#handshakeTimedOut(), options.connectTimeoutMs);
    this.#timer.unref();
    const { host, port, tls } = options;
    this.#socket = tls
      ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ...tls }, () => this.#connected())
      : netConnect({ host, port }, () => this.#connected());
    this.#socket.setNoDelay(true);
    this.#socket.on("data", (chunk: Buffer) => this.#received(chunk));
    this.#socket.on("error", (error) => this.#fail(TransportError.from(error, "unavailable")));
    this.#socket.on("close", () => this.#closed());
  }

  /**
   * Whether the connection ended because the peer sent something that is not the forward protocol
   * (not msgpack, an HTTP reply, a message other than HELO, PONG or `{ack}`): a peer that may still
   * have the records, worth another connection.
   */
  get garbled(): boolean {
    return this.#garbled;
  }

  /** Number of batches waiting for their ack. */
  get inFlight(): number {
    return this.#acks.size;
  }

  /**
   * Writes one frame (head, entries, options map) and resolves with the ack outcome; never rejects.
   * Call only after `ready` resolved `undefined`.
   */
  send(head: Uint8Array, entries: Uint8Array | readonly Uint8Array[], tail: Uint8Array, chunk: string, signal?: AbortSignal): Promise<SendResult> {
    if (this.#state !== "ready") return Promise.resolve(resultOf(this.#failure ?? new TransportError("connection closed", "unavailable")));
    const result = this.#acks.track(chunk, this.#options.ackTimeoutMs, signal);
    this.#socket.cork();
    this.#socket.write(head);
    if (entries instanceof Uint8Array) this.#socket.write(entries);
    else for (const part of entries) this.#socket.write(part);
    this.#socket.write(tail);
    this.#socket.uncork();
    return result;
  }

  /** Closes the socket; pending sends resolve with `error` (retryable `shutdown` by default). */
  close(error = new TransportError("transport closed", "shutdown")): Promise<void> {
    if (this.#state === "closed") return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.#socket.once("close", () => resolve()));
    this.#fail(error);
    return closed;
  }

  #connected(): void {
    if (this.#options.sharedKey === "") this.#becomeReady();
    else this.#state = "helo";
  }

  #becomeReady(): void {
    this.#state = "ready";
    clearTimeout(this.#timer);
    if (this.#acks.size === 0) this.#socket.unref();
    this.#resolveReady?.(undefined);
    this.#resolveReady = undefined;
  }

  #received(chunk: Buffer): void {
    this.#decoder.push(chunk);
    for (;;) {
      if (this.#state === "closed" || this.#failure) return;
      const frame = this.#decoder.next();
      if (frame.kind === "incomplete") return;
      if (frame.kind === "invalid") {
        this.#failGarbled(frame.reason);
        return;
      }
      this.#handle(frame.value);
    }
  }

  #handle(value: unknown): void {
    if (this.#state === "helo") {
      const helo = parseHelo(value);
      if (typeof helo === "string") {
        this.#failGarbled(helo);
        return;
      }
      this.#helo = helo;
      this.#ping = buildPing(helo, this.#options);
      this.#state = "pong";
      this.#socket.write(packMessage(this.#ping.message));
      return;
    }
    if (this.#state === "pong" && this.#helo && this.#ping) {
      const pong = checkPong(value, this.#helo, this.#ping, this.#options.sharedKey);
      if (pong.ok) this.#becomeReady();
      else {
        const hint = pong.code === "rejected" ? `; ${keyHint}` : "";
        this.#fail(new TransportError(`${this.#where()}: ${pong.reason}${hint}`, pong.code));
      }
      return;
    }
    if (this.#state !== "ready") return;
    const acked = ackedChunk(value);
    if (acked !== undefined) {
      // A late ack (after its timeout or abort) is unknown here and ignored: the batch was resent.
      this.#acks.settle(acked);
      return;
    }
    if (isHelo(value)) {
      this.#fail(new TransportError(`${this.#where()} requires the shared-key handshake (sent HELO); set FLUENTD_SHARED_KEY`, "rejected"));
      return;
    }
    this.#failGarbled("unexpected reply instead of {ack}");
  }

  /** Fails as `protocol`: the peer sent `what`, not the forward protocol. */
  #failGarbled(what: string): void {
    if (this.#failure === undefined) this.#garbled = true;
    this.#fail(new TransportError(`not a forward receiver at ${this.#where()}: ${what}`, "protocol"));
  }

  #handshakeTimedOut(): void {
    const ms = this.#options.connectTimeoutMs;
    if (this.#state === "connecting") this.#fail(new TransportError(`connect to ${this.#where()} timed out after ${ms} ms`, "unavailable"));
    else if (this.#state === "helo") {
      this.#fail(
        new TransportError(
          `no HELO from ${this.#where()} within ${ms} ms: a shared key is set here (FLUENTD_SHARED_KEY) ` +
            "but the receiver does not ask for one, or it is not a forward receiver",
          "protocol",
        ),
      );
    } else if (this.#state === "pong") this.#fail(new TransportError(`no PONG from ${this.#where()} within ${ms} ms`, "unavailable"));
  }

  /** Records the first failure and destroys the socket; `#closed` settles everything. */
  #fail(error: TransportError): void {
    if (this.#state === "closed") return;
    this.#failure ??= error;
    this.#socket.destroy();
  }

  #closed(): void {
    if (this.#state === "closed") return;
    const state = this.#state;
    this.#state = "closed";
    clearTimeout(this.#timer);
    let error = this.#failure;
    if (!error && state === "pong") {
      // Fluent Bit answers a wrong key by closing the connection instead of a PONG.
      error = new TransportError(`${this.#where()} closed the connection after our PING: handshake refused; ${keyHint}`, "rejected");
    }
    error ??= new TransportError(`connection to ${this.#where()} closed`, "unavailable");
    this.#failure = error;
    this.#resolveReady?.(error);
    this.#resolveReady = undefined;
    this.#acks.failAll(resultOf(error));
    this.#onClosed();
  }

  #where(): string {
    return `${this.#options.host}:${this.#options.port}`;
  }
}
