/**
 * A scriptable HTTP/1.1 receiver for transport tests: `node:http` on 127.0.0.1:0 that records every
 * request (gunzipped body, headers, which TCP connection it came on) and answers from a script
 * (status sequence, headers such as Retry-After, bodies, delays, a hang, a connection reset).
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";

/** One scripted answer. Default: 200 with an empty body. */
export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
  /** Wait this long before answering (the only delay; used to provoke client timeouts). */
  readonly delayMs?: number;
  /** Never answer; the request stays open until the client gives up or the receiver closes. */
  readonly hang?: boolean;
  /** Destroy the connection instead of answering. */
  readonly reset?: boolean;
}

/** A request as received. */
export interface ReceivedHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body after `Content-Encoding: gzip` was undone. */
  readonly body: Buffer;
  /** Bytes on the wire. */
  readonly wireBytes: number;
  /** 1-based number of the TCP connection it arrived on. */
  readonly connection: number;
  /** When its body was complete, `Date.now()` ms. */
  readonly receivedAtMs: number;
}

export interface ScriptedHttpReceiver {
  readonly port: number;
  /** `http://127.0.0.1:<port><path>`. */
  url(path?: string): string;
  readonly requests: ReceivedHttpRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Queues answers for the next requests; when the queue is empty, `respond` (or 200) answers. */
  script(...responses: ScriptedResponse[]): void;
  /** Resolves with the requests once at least `count` arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedHttpRequest[]>;
  close(): Promise<void>;
}

/** Starts a receiver; `respond` computes the answer when no scripted one is queued. */
export async function startScriptedHttpReceiver(respond?: (request: ReceivedHttpRequest) => ScriptedResponse): Promise<ScriptedHttpReceiver> {
  const requests: ReceivedHttpRequest[] = [];
  const queue: ScriptedResponse[] = [];
  const sockets = new Map<Socket, number>();
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const wire = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
      const received: ReceivedHttpRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
        wireBytes: wire.byteLength,
        receivedAtMs: Date.now(),
        connection: sockets.get(req.socket) ?? 0,
      };
      requests.push(received);
      const answer = queue.shift() ?? respond?.(received) ?? {};
      for (const wake of waiters) wake();
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      if (answer.hang) return;
      const send = (): void => {
        res.writeHead(answer.status ?? 200, answer.headers);
        res.end(answer.body ?? "");
      };
      if (answer.delayMs === undefined) send();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.set(socket, connections);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: (path = "/") => `http://127.0.0.1:${port}${path}`,
    requests,
    get connections() {
      return connections;
    },
    script: (...responses) => void queue.push(...responses),
    waitForRequests(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (requests.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(requests.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} requests, got ${requests.length} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
