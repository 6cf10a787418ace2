/**
 * A forward receiver on a FIXED 127.0.0.1 port that can be stopped (listener closed, every connection
 * destroyed, like a killed Fluent Bit) and started again on the same port, keeping what it received.
 * It acks `{chunk}` frames (unless `ack: false`) and decodes with @msgpack/msgpack via `decodeFrame`.
 */
import { EventEmitter, once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { decodeMultiStream } from "@msgpack/msgpack";
import { ackBytes, decodeFrame, type ReceivedFrame } from "./forward-receiver.js";

export interface RestartableForwardReceiver {
  readonly port: number;
  readonly frames: ReceivedFrame[];
  /** Connections accepted so far, over all runs. */
  readonly connections: number;
  readonly listening: boolean;
  /** Starts listening (again) on `port`. */
  start(): Promise<void>;
  /** Stops listening and destroys every open connection; frames already received are kept. */
  stop(): Promise<void>;
  /**
   * Crashes on the `n`-th frame from now: keeps that frame but does not ack it, then stops as
   * `stop()` does (the sender sees its data "lost" and resends it: a duplicate). Resolves when
   * stopped; rejects if that has not happened within 10 s.
   */
  crashOnFrame(n: number): Promise<void>;
  /** Resolves when at least `count` frames arrived; rejects after `timeoutMs`. */
  waitForFrames(count: number, timeoutMs?: number): Promise<void>;
}

export function createRestartableForwardReceiver(port: number, options: { ack?: boolean } = {}): RestartableForwardReceiver {
  const frames: ReceivedFrame[] = [];
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  let server: Server | undefined;
  let connections = 0;
  let crashAt = Number.POSITIVE_INFINITY;
  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    events.emit("stopped");
  };

  const serve = async (socket: Socket): Promise<void> => {
    for await (const message of decodeMultiStream(socket)) {
      if (!Array.isArray(message)) throw new Error("not an array");
      const frame = decodeFrame(message);
      frames.push(frame);
      events.emit("frame");
      if (frames.length >= crashAt) {
        crashAt = Number.POSITIVE_INFINITY;
        await stop();
        return;
      }
      const ack = ackBytes(frame);
      if (ack !== undefined && options.ack !== false) socket.write(ack);
    }
  };

  return {
    port,
    frames,
    get connections() {
      return connections;
    },
    get listening() {
      return server !== undefined;
    },
    async start() {
      if (server) return;
      const s = createServer((socket) => {
        connections++;
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
        serve(socket).catch(() => socket.destroy());
      });
      s.listen(port, "127.0.0.1");
      await once(s, "listening");
      server = s;
    },
    stop,
    async crashOnFrame(n) {
      const stopped = once(events, "stopped", { signal: AbortSignal.timeout(10_000) });
      crashAt = frames.length + n;
      await stopped;
    },
    async waitForFrames(count, timeoutMs = 5000) {
      const deadline = AbortSignal.timeout(timeoutMs);
      while (frames.length < count) await once(events, "frame", { signal: deadline });
    },
  };
}
