// Starts a counting receiver (bench/support/*-count-server.ts) in its own process and asks it for counts.
import { fork } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A receiver process. */
export interface CountServer {
  readonly port: number;
  /** Records (or spans) received for `key` (a tag prefix or a service name, by server). */
  count(key: string): Promise<number>;
  /** Polls `count(key)` until it reaches `n` or `timeoutMs` passes; returns the last count. */
  waitFor(key: string, n: number, timeoutMs: number): Promise<number>;
  stop(): void;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Starts `bench/support/<file>` and waits for its port. */
export async function startCountServer(file: string): Promise<CountServer> {
  const child = fork(join(here, file), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const [first] = (await once(child, "message")) as [{ port: number }];
  const count = async (key: string): Promise<number> => {
    child.send({ get: key });
    for (;;) {
      const [m] = (await once(child, "message")) as [{ tag?: string; count?: number }];
      if (m.tag === key) return m.count ?? 0;
    }
  };
  return {
    port: first.port,
    count,
    async waitFor(key, n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let last = await count(key);
      while (last < n && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        last = await count(key);
      }
      return last;
    },
    stop: () => child.kill(),
  };
}
