/**
 * A fake of the local collector's probe API for end-to-end tests: `GET /api/probes/<id>` answers
 * `{ id, seen: { <path>: { atMs } } }` (404 until the probe was seen anywhere, like an unknown id).
 * Tests report sightings with `see()`, typically from a forward or OTLP receiver's callback.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The collector's probe paths (the `seen` keys). */
export type FakeCollectorPath = "forward" | "http" | "otlpHttpLogs" | "otlpHttpTraces" | "otlpGrpc" | "dash0";

export interface FakeCollector {
  readonly url: string;
  /** `GET /api/probes/...` requests answered so far. */
  readonly polls: number;
  /** Records that probe `id` arrived on `path` (at `atMs`, default now); the first sighting per path wins. */
  see(id: string, path: FakeCollectorPath, atMs?: number): void;
  /** Answer every request with this status instead (e.g. 500); `undefined` to go back to normal. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startFakeCollector(): Promise<FakeCollector> {
  const seen = new Map<string, Partial<Record<FakeCollectorPath, { atMs: number }>>>();
  let polls = 0;
  let failure: number | undefined;
  const server = createServer((req, res) => {
    const match = /^\/api\/probes\/([^/?]+)$/.exec(req.url ?? "");
    if (req.method !== "GET" || match?.[1] === undefined) {
      res.writeHead(404).end();
      return;
    }
    polls++;
    if (failure !== undefined) {
      res.writeHead(failure, { "content-type": "text/plain" }).end("collector failure");
      return;
    }
    const id = decodeURIComponent(match[1]);
    const sightings = seen.get(id);
    if (sightings === undefined) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ id, seen: {} }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id, seen: sightings }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get polls() {
      return polls;
    },
    see(id, path, atMs = Date.now()) {
      const sightings = seen.get(id) ?? {};
      sightings[path] ??= { atMs };
      seen.set(id, sightings);
    },
    failWith(status) {
      failure = status;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
