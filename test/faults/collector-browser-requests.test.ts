/**
 * Issue 13 item 13: a web page the developer visits must neither read the collector's status API
 * (DNS rebinding: the page's own name resolved to 127.0.0.1, so its requests carry that name as
 * `Host`) nor write records through `in_http` with a request it can send without a CORS preflight.
 */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { isAllowedHost } from "../../runtime/collector/host-check.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startTestCollector } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();

/** Sends a request with exactly these headers (fetch would set Host itself); resolves with the status. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers, setHost: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the collector against requests from web pages", () => {
  it("answers the status API only for loopback Host names", async () => {
    const collector = await startTestCollector(cleanups);
    const port = collector.ports.status;
    const status = (host: string) => send(port, "GET", "/api/status", { host });
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`LOCALHOST`)).toBe(200);
    expect(await status(`[::1]:${port}`)).toBe(200);
    expect(await status(`evil.example:${port}`)).toBe(403);
    expect(await status("127.0.0.1.evil.example")).toBe(403);
    expect([400, 403]).toContain(await send(port, "GET", "/", {})); // Node itself answers 400 to HTTP/1.1 without Host
    expect(await send(port, "GET", "/api/probes/x", { host: "attacker.test" })).toBe(403);
  });

  it("accepts the host the collector was told to listen on, never a wildcard's stand-in", () => {
    expect(isAllowedHost("192.168.1.5:4320", "192.168.1.5")).toBe(true);
    expect(isAllowedHost("192.168.1.5:4320", "0.0.0.0")).toBe(false);
    expect(isAllowedHost("[fe80::1]:4320", "fe80::1")).toBe(true);
    expect(isAllowedHost("localhost:notaport", "127.0.0.1")).toBe(false);
  });

  it("refuses in_http bodies a page can send without preflight with 415, counted", async () => {
    const collector = await startTestCollector(cleanups);
    const port = collector.ports.http;
    const json = JSON.stringify({ message: "from a web page" });
    const host = `127.0.0.1:${port}`;
    const statuses = [
      await send(port, "POST", "/page", { host, "content-type": "text/plain;charset=UTF-8" }, json),
      await send(port, "POST", "/page", { host, "content-type": "application/x-www-form-urlencoded" }, `json=${encodeURIComponent(json)}`),
      await send(port, "POST", "/page", { host, "content-type": "multipart/form-data; boundary=x" }, `--x\r\n\r\n${json}\r\n--x--`),
      await send(port, "POST", "/page", { host }, json),
    ];
    expect(statuses).toEqual([415, 415, 415, 415]);
    expect(collector.status().hops.http).toMatchObject({ records: 0, errors: 4 });
    expect(await send(port, "POST", "/page", { host, "content-type": "application/json" }, json)).toBe(200);
  });
});
