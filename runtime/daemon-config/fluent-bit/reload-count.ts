import { request } from "node:http";

/**
 * Fluent Bit's hot-reload counter (`GET /api/v2/reload` → `{"hot_reload_count": n}`) from its HTTP
 * server at `host:port`; it goes up by one when a reload has finished. `undefined` when the server
 * does not answer within `timeoutMs` (default 2000) or answers something else. Never rejects.
 */
export function readFluentBitReloadCount(host: string, port: number, timeoutMs = 2000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: "/api/v2/reload", method: "GET", timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => {
        try {
          const count = (JSON.parse(body) as { hot_reload_count?: unknown }).hot_reload_count;
          resolve(typeof count === "number" ? count : undefined);
        } catch {
          resolve(undefined); // Not JSON: not a Fluent Bit with hot reload.
        }
      });
      res.on("error", () => resolve(undefined));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}
