import { connect as netConnect, isIP, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { connect as tlsConnect } from "node:tls";
import type { HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import { buildPing, checkPong, isHelo, parseHelo, type Helo, type Ping } from "../../wire/forward/handshake.js";
import { ackedChunk, newChunkId, packMessage, writeForwardOption } from "../../wire/forward/protocol.js";
import { asText, MsgpackStreamDecoder } from "../../wire/msgpack-decoder.js";
import { MsgpackWriter } from "../../wire/msgpack-writer.js";
import type { Deadline } from "../core/deadline.js";
import { fluentdFailures, fluentdSocketFailure, type FluentdPeer } from "./fluentd-failures.js";
import { failedHop, passedHop, type HopFailure } from "../core/hop-reports.js";

/** Where and how {@link probeForward} connects. `sharedKey` is the revealed key, `""` for none. */
export interface ForwardProbeTarget extends FluentdPeer {
  readonly sharedKey: string;
  readonly selfHostname: string;
}

/** The probe record to send and ack, or none (connect and handshake only: the cheap periodic check). */
export interface ForwardProbeRecord {
  readonly tag: string;
  readonly record: Readonly<Record<string, unknown>>;
}

/** Whether the first bytes look like a TLS record (alert 0x15 or handshake 0x16, version 0x03 0x0n). */
function isTlsRecord(firstBytes: string): boolean {
  return firstBytes.length >= 2 && (firstBytes.charCodeAt(0) === 0x15 || firstBytes.charCodeAt(0) === 0x16) && firstBytes.charCodeAt(1) === 0x03;
}

/** What {@link probeForward} found: one step per stage reached, and when the ack came (`Date.now()`). */
export interface ForwardProbeResult {
  readonly ok: boolean;
  /** `connect`, `handshake` (with a key), `send`, `ack`; the last failed one carries the error. */
  readonly steps: HopReport[];
  /** Wall-clock time of the ack, for end-to-end latency. */
  readonly ackedAtMs: number | undefined;
}

type Stage = "connect" | "helo" | "pong" | "listen" | "send" | "ack" | "done";

/**
 * Without a key and without a record (the cheap check) nothing we send would draw an answer, so after
 * connecting we listen this long for an unsolicited HELO (a receiver that wants a key sends it at
 * once): 4 × the connect time, at least 50 ms, at most 250 ms.
 */
function heloWaitMs(connectMs: number): number {
  return Math.min(250, Math.max(50, 4 * connectMs));
}

/**
 * Speaks the Fluentd forward protocol to `target` the way our transport does, one stage at a time,
 * timing each: TCP (or TLS) connect; the HELO/PING/PONG shared-key handshake when a key is set; the
 * probe sent as a Forward-mode message with `size: 1` and a `chunk` id; the `{ack}` round trip.
 *
 * Failure behaviour: never rejects. It resolves when the probe is acked, when a stage fails (the
 * failing step says why and what to check, see {@link fluentdFailures}) or when `deadline` aborts
 * (the pending stage times out); the socket is destroyed either way. With no key and no record it
 * listens briefly after connecting for a HELO (see `heloWaitMs`), so "a key is required" is still found.
 */
export function probeForward(target: ForwardProbeTarget, probe: ForwardProbeRecord | undefined, deadline: Deadline): Promise<ForwardProbeResult> {
  return new Promise((resolve) => new ForwardProbe(target, probe, deadline, resolve).start());
}

/** One probe connection's state. */
class ForwardProbe {
  readonly #target: ForwardProbeTarget;
  readonly #probe: ForwardProbeRecord | undefined;
  readonly #deadline: Deadline;
  readonly #resolve: (result: ForwardProbeResult) => void;
  readonly #decoder = new MsgpackStreamDecoder(16 * 1024);
  readonly #steps: HopReport[] = [];
  #socket: Socket | undefined;
  #stage: Stage = "connect";
  #stageStartedAt = performance.now();
  #connected = false;
  #firstBytes = "";
  #helo: Helo | undefined;
  #ping: Ping | undefined;
  #chunk = "";
  #listenTimer: NodeJS.Timeout | undefined;
  readonly #onAbort = (): void => this.#timedOut();

  constructor(target: ForwardProbeTarget, probe: ForwardProbeRecord | undefined, deadline: Deadline, resolve: (result: ForwardProbeResult) => void) {
    this.#target = target;
    this.#probe = probe;
    this.#deadline = deadline;
    this.#resolve = resolve;
  }

  start(): void {
    if (this.#deadline.expired) {
      this.#timedOut();
      return;
    }
    this.#deadline.signal.addEventListener("abort", this.#onAbort, { once: true });
    const { host, port, tls } = this.#target;
    try {
      const socket = tls
        ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}) }, () => this.#onConnected())
        : netConnect({ host, port }, () => this.#onConnected());
      this.#socket = socket;
      socket.setNoDelay(true);
      socket.on("data", (chunk: Buffer) => this.#onData(chunk));
      socket.on("error", (error: unknown) => this.#fail(fluentdSocketFailure(this.#target, error, this.#connected)));
      socket.on("close", () => this.#onClose());
    } catch (error: unknown) {
      this.#fail(fluentdSocketFailure(this.#target, error, false));
    }
  }

  #onConnected(): void {
    if (this.#stage !== "connect") return;
    this.#connected = true;
    const connectMs = performance.now() - this.#stageStartedAt;
    this.#pass("connect");
    if (this.#target.sharedKey === "" && this.#probe === undefined) {
      this.#stage = "listen";
      this.#listenTimer = setTimeout(() => this.#finish(true, undefined), Math.min(heloWaitMs(connectMs), this.#deadline.remainingMs()));
      this.#listenTimer.unref();
      return;
    }
    if (this.#target.sharedKey !== "") this.#stage = "helo";
    else this.#afterHandshake();
  }

  #afterHandshake(): void {
    if (this.#probe === undefined) {
      this.#finish(true, undefined);
      return;
    }
    this.#stage = "send";
    this.#chunk = newChunkId();
    const { tag, record } = this.#probe;
    const now = Date.now();
    const writer = new MsgpackWriter(512);
    writer.writeArrayHeader(3);
    writer.writeString(tag);
    writer.writeArrayHeader(1);
    writer.writeEntry(Math.floor(now / 1000), (now % 1000) * 1_000_000, record);
    writeForwardOption(writer, { size: 1, chunk: this.#chunk, compressed: false });
    this.#socket?.write(writer.toBytes(), () => {
      if (this.#stage !== "send") return;
      this.#pass("send");
      this.#stage = "ack";
    });
  }

  #onData(chunk: Buffer): void {
    if (this.#firstBytes.length < 5) this.#firstBytes += chunk.subarray(0, 5 - this.#firstBytes.length).toString("latin1");
    if (this.#firstBytes.startsWith("HTTP/")) {
      this.#fail(fluentdFailures.httpListener(this.#target));
      return;
    }
    if (!this.#target.tls && isTlsRecord(this.#firstBytes)) {
      this.#fail(fluentdFailures.tlsExpected(this.#target));
      return;
    }
    this.#decoder.push(chunk);
    while (this.#stage !== "done") {
      const frame = this.#decoder.next();
      if (frame.kind === "incomplete") return;
      if (frame.kind === "invalid") {
        this.#fail(fluentdFailures.notForward(this.#target, frame.reason));
        return;
      }
      this.#onMessage(frame.value);
    }
  }

  #onMessage(value: unknown): void {
    const peer = this.#target;
    if (this.#stage === "helo") {
      const helo = parseHelo(value);
      if (typeof helo === "string") {
        this.#fail(fluentdFailures.notForward(peer, helo));
        return;
      }
      this.#helo = helo;
      this.#ping = buildPing(helo, { selfHostname: peer.selfHostname, sharedKey: peer.sharedKey, username: "", password: "" });
      this.#stage = "pong";
      this.#socket?.write(packMessage(this.#ping.message));
      return;
    }
    if (this.#stage === "pong" && this.#helo !== undefined && this.#ping !== undefined) {
      const pong = checkPong(value, this.#helo, this.#ping, peer.sharedKey);
      if (pong.ok) {
        this.#pass("handshake");
        this.#afterHandshake();
      } else if (pong.code === "rejected") {
        const pongFields: unknown[] = Array.isArray(value) ? value : [];
        const said = pongFields[1] === true ? "its answer did not match our key" : (asText(pongFields[2]) ?? "").slice(0, 200);
        this.#fail(fluentdFailures.wrongKey(peer, said));
      } else this.#fail(fluentdFailures.notForward(peer, pong.reason));
      return;
    }
    if (isHelo(value)) {
      this.#fail(fluentdFailures.keyRequired(peer));
      return;
    }
    const acked = ackedChunk(value);
    if ((this.#stage === "send" || this.#stage === "ack") && acked !== undefined) {
      if (acked !== this.#chunk) {
        this.#fail(fluentdFailures.notForward(peer, "it acknowledged a chunk we did not send"));
        return;
      }
      if (this.#stage === "send") this.#pass("send");
      this.#pass("ack");
      this.#finish(true, Date.now());
      return;
    }
    this.#fail(fluentdFailures.notForward(peer, "it sent something other than a handshake or an ack"));
  }

  #onClose(): void {
    if (this.#stage === "done") return;
    const peer = this.#target;
    if (this.#stage === "connect") this.#fail(fluentdSocketFailure(peer, new Error("connection closed"), false));
    // Fluent Bit answers a wrong key by closing the connection instead of a refusing PONG.
    else if (this.#stage === "pong") this.#fail(fluentdFailures.wrongKey(peer, "it closed the connection after our PING"));
    else if (this.#stage === "helo") this.#fail(fluentdFailures.closedEarly(peer));
    else this.#fail(this.#probe === undefined ? fluentdFailures.closedEarly(peer) : fluentdFailures.closedBeforeAck(peer));
  }

  #timedOut(): void {
    if (this.#stage === "done") return;
    const peer = this.#target;
    const ms = this.#deadline.timeoutMs;
    switch (this.#stage) {
      case "connect":
        this.#fail(fluentdFailures.connectTimeout(peer, ms));
        break;
      case "helo":
        this.#fail(fluentdFailures.noHelo(peer, ms));
        break;
      case "pong":
        this.#fail(fluentdFailures.noPong(peer, ms));
        break;
      case "listen":
        this.#finish(true, undefined);
        break;
      default:
        this.#fail(fluentdFailures.ackTimeout(peer, ms));
    }
  }

  /** Records a passed step, timed from the end of the previous one. */
  #pass(step: string): void {
    const now = performance.now();
    this.#steps.push(passedHop(step, now - this.#stageStartedAt, step === "ack"));
    this.#stageStartedAt = now;
  }

  #fail(failure: HopFailure): void {
    if (this.#stage === "done") return;
    const step = this.#stage === "helo" || this.#stage === "pong" || this.#stage === "listen" ? "handshake" : this.#stage;
    this.#steps.push(failedHop(step, performance.now() - this.#stageStartedAt, failure));
    this.#finish(false, undefined);
  }

  #finish(ok: boolean, ackedAtMs: number | undefined): void {
    this.#stage = "done";
    clearTimeout(this.#listenTimer);
    this.#deadline.signal.removeEventListener("abort", this.#onAbort);
    this.#socket?.destroy();
    this.#resolve({ ok, steps: this.#steps, ackedAtMs });
  }
}
