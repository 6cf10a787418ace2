/**
 * The local collector as a whole: status API, live page, probes, NDJSON files, the live contract
 * check's counts, options, and a close() that leaves no handle behind.
 */
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { resolveCollectorOptions } from "../../runtime/collector/collector-options.js";
import { startCollector, type CollectorStatus } from "../../runtime/collector/collector.js";
import type { ProbeReport } from "../../runtime/collector/probe-registry.js";
import type { ReceivedRecord } from "../../runtime/collector/collector-records.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { encodeOtlpLogs } from "../../runtime/encoding/otlp-log-encoder.js";
import { encodeOtlpSpans } from "../../runtime/encoding/otlp-span-encoder.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { ephemeralPorts, getJson, nextRecords, startTestCollector, validLogEntry, validSpan } from "../helpers/collector-harness.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

async function postJson(port: number, path: string, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  await res.arrayBuffer();
  return res.status;
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith("TCP")).length;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    return true;
  } catch {
    return false;
  } finally {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("startCollector", () => {
  it("serves the status JSON: ports, counts per signal, source and service, violations and recent records", async () => {
    const collector = await startTestCollector(cleanups);
    const forward = createForwardTransport({ port: collector.ports.forward });
    cleanups.push(() => forward.close());
    const arrived = nextRecords(collector, 2);
    expect((await forward.send(createFluentLogEncoder("app.api")([validLogEntry("valid")]))).status).toBe("ok");
    expect(await postJson(collector.ports.http, "/app.bad", { message: "", "service.name": "svc-bad", level: "verbose" })).toBe(200);
    await arrived;

    const status = await getJson<CollectorStatus>(collector, "/api/status");
    expect(status.ports).toEqual(collector.ports);
    expect(Object.values(status.ports).every((p) => p > 0)).toBe(true);
    expect(status.counts).toMatchObject({
      total: 2,
      bySignal: { logs: 2, spans: 0 },
      bySource: { forward: 1, http: 1, otlpHttp: 0, otlpGrpc: 0, dash0: 0 },
      byService: { "collector-test": { logs: 1, spans: 0, invalid: 0 }, "svc-bad": { logs: 1, spans: 0, invalid: 1 } },
    });
    expect(status.hops.forward).toMatchObject({ records: 1, batches: 1, errors: 0, lastSeenAtMs: expect.any(Number) });
    expect(status.violations.byService).toEqual({ "svc-bad": 5 });
    expect(status.violations.byServiceAndRule["svc-bad"]).toEqual({
      "enum.defined_only": 1,
      "string.min_len": 2,
      "enum.not_in": 1,
      "string.pattern": 1,
    });
    expect(status.violations.recent.map((v) => `${v.key} ${v.rule}`)).toEqual([
      "level enum.defined_only",
      "message string.min_len",
      "emp.service.type enum.not_in",
      "deployment.environment.name string.min_len",
      "emp.contract.version string.pattern",
    ]);
    expect(status.recent["collector-test"]?.logs.map((r) => r.record.message)).toEqual(["valid"]);
    expect(status.contractVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("serves the live page: plain HTML whose script polls the status API every second", async () => {
    const collector = await startTestCollector(cleanups);
    const res = await fetch(`http://127.0.0.1:${collector.ports.status}/`);
    const html = await res.text();
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toContain("<script>");
    expect(html).toContain('fetch("/api/status"');
    expect(html).toContain("setTimeout(tick, 1000)");
    expect(html).toMatch(/Hops[\s\S]*Contract violations[\s\S]*Services/);
  });

  it("remembers probes per hop and answers GET /api/probes/<id>", async () => {
    const collector = await startTestCollector(cleanups);
    const base = `http://127.0.0.1:${collector.ports.otlpHttp}`;
    const forward = createForwardTransport({ port: collector.ports.forward });
    const traces = createOtlpHttpTransport({ url: `${base}/v1/traces` });
    const logs = createOtlpHttpTransport({ url: `${base}/v1/logs`, signal: "logs" });
    cleanups.push(
      () => forward.close(),
      () => traces.close(),
      () => logs.close(),
    );
    const probe = { "emp.health.probe_id": "probe-42" };
    const arrived = nextRecords(collector, 4);
    await forward.send(createFluentLogEncoder("app.probe")([validLogEntry("probe", probe)]));
    await postJson(collector.ports.http, "/app.probe", { message: "probe", ...probe });
    await traces.send(encodeOtlpSpans([validSpan("probe", probe)]));
    await logs.send(encodeOtlpLogs([validLogEntry("probe", probe)]));
    await arrived;

    const report = await getJson<ProbeReport>(collector, "/api/probes/probe-42");
    expect(report.id).toBe("probe-42");
    expect(Object.keys(report.seen).sort()).toEqual(["forward", "http", "otlpHttpLogs", "otlpHttpTraces"]);
    expect(report.seen.forward?.atMs).toBeLessThanOrEqual(Date.now());
    expect(await getJson(collector, "/api/probes/never-sent")).toEqual({ id: "never-sent", seen: {} });
  });

  it("writes one NDJSON line per record into logs.ndjson and spans.ndjson", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "emp-collector-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const collector = await startTestCollector(cleanups, { dataDir: join(dataDir, "nested") });
    const traces = createOtlpHttpTransport({ url: `http://127.0.0.1:${collector.ports.otlpHttp}/v1/traces` });
    cleanups.push(() => traces.close());
    const arrived = nextRecords(collector, 3);
    await postJson(collector.ports.http, "/app.file", [{ message: "one" }, { message: "two" }]);
    await traces.send(encodeOtlpSpans([validSpan("stored span")]));
    await arrived;
    await collector.flush();

    const lines = async (name: string): Promise<ReceivedRecord[]> =>
      (await readFile(join(dataDir, "nested", name), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as ReceivedRecord);
    const logLines = await lines("logs.ndjson");
    expect(logLines.map((l) => [l.source, l.tag, l.path, l.signal, l.record.message, typeof l.receivedAtMs])).toEqual([
      ["http", "app.file", "/app.file", "logs", "one", "number"],
      ["http", "app.file", "/app.file", "logs", "two", "number"],
    ]);
    const spanLines = await lines("spans.ndjson");
    expect(spanLines.map((l) => [l.source, l.path, l.service, l.record.name, l.violations])).toEqual([
      ["otlpHttp", "/v1/traces", "collector-test", "stored span", []],
    ]);
    expect(collector.status().storage).toMatchObject({ linesWritten: 3, writeErrors: 0 });
  });

  it("closes every listener and open connection: the ports are free and no TCP handle is left", async () => {
    const before = tcpHandles();
    const collector = await startCollector(ephemeralPorts);
    const forwardSocket = connect(collector.ports.forward, "127.0.0.1");
    await once(forwardSocket, "connect");
    const keepAlive = await fetch(`http://127.0.0.1:${collector.ports.status}/api/status`);
    await keepAlive.arrayBuffer();
    const closed = once(forwardSocket, "close");
    await collector.close();
    await closed;
    await collector.close();
    for (const port of Object.values(collector.ports)) expect(await portIsFree(port)).toBe(true);
    await until(() => tcpHandles() <= before, 3000);
  });

  it("rejects when a port is taken, closing what it had started", async () => {
    const first = await startTestCollector(cleanups);
    const before = tcpHandles();
    await expect(startCollector({ ...ephemeralPorts, otlpHttpPort: first.ports.otlpHttp })).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringMatching(/OTLP\/HTTP input cannot listen/),
    });
    await until(() => tcpHandles() <= before, 3000);
  });
});

describe("resolveCollectorOptions", () => {
  it("names every bad option in one TelemetryConfigError, never the secrets", () => {
    let caught: unknown;
    try {
      resolveCollectorOptions({ forwardPort: 70000, dash0Token: "", recentPerService: 0, sharedKey: 5 as unknown as string, forwardPrt: 1 } as never);
    } catch (e: unknown) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TelemetryConfigError);
    const message = (caught as Error).message;
    for (const key of ["forwardPort=70000", "dash0Token", "recentPerService=0", "sharedKey=[redacted]", "forwardPrt"]) expect(message).toContain(key);
  });

  it("defaults to the standard ports on loopback and prints secrets redacted", () => {
    const o = resolveCollectorOptions({ sharedKey: "k-secret", dash0Token: "t-secret" });
    expect([o.host, o.forwardPort, o.httpPort, o.otlpHttpPort, o.otlpGrpcPort]).toEqual(["127.0.0.1", 24224, 8888, 4318, 4317]);
    expect(inspect(o) + JSON.stringify(o)).not.toMatch(/k-secret|t-secret/);
    expect(o.sharedKey).toBe("k-secret");
  });
});
