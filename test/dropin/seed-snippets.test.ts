// Issue 15: the seed's 17 snippets and the existing client's call shapes, as consumers of the BUILT
// package (`@emp/telemetry` resolves through the exports map to dist/): strict tsc on the snippet
// files, then one run against a local collector on 127.0.0.1 (test/fixtures/seed-snippets/run.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const snippets = "test/fixtures/seed-snippets";

interface ReceivedRecord {
  signal: "logs" | "spans";
  source: string;
  tag?: string;
  service: string;
  record: Record<string, unknown>;
}
interface RunReport {
  results: Record<string, Record<string, unknown>>;
  health: Record<string, { emitted: number; delivered: number; droppedTotal: number }>;
  combined: string;
  literalGlobFile: boolean;
  records: ReceivedRecord[];
}

let run: RunReport;
beforeAll(() => {
  expect(existsSync(`${repoRoot}dist/runtime/index.d.ts`), "run `npm run build` first (npm test does)").toBe(true);
  const r = spawnSync(process.execPath, ["--import", "tsx", `${snippets}/run.ts`], { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  run = JSON.parse(r.stdout) as RunReport;
}, 70_000);

const spans = (): Record<string, unknown>[] => run.records.filter((r) => r.signal === "spans").map((r) => r.record);
const logs = (): ReceivedRecord[] => run.records.filter((r) => r.signal === "logs");

describe("the seed's snippets against the built package", () => {
  it("compile under strict tsc, importing only @emp/telemetry and @emp/telemetry/contract", () => {
    const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", `${snippets}/tsconfig.json`], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
  }, 130_000);

  it("run without throwing, and every client delivers everything it emitted", () => {
    for (const [name, result] of Object.entries(run.results)) expect(result.threw, name).toBeUndefined();
    for (const [client, totals] of Object.entries(run.health)) expect(totals.delivered, client).toBe(totals.emitted);
  });

  it("1-9: the simple API design logs, traces and tests the pipeline; each entry reaches Fluentd once", () => {
    expect(run.results.simpleApiDesign).toEqual({ fluentdOk: true, otelOk: true, connectivityHasFluentd: true });
    const started = logs().filter((r) => r.record.message === "Server started");
    expect(started.map((r) => r.source)).toEqual(["forward"]);
    expect(spans().map((s) => s.name)).toEqual(expect.arrayContaining(["startup.ping", "job.processing"]));
  });

  it("10: new TelemetryConfig({ serviceType, required, defaults }) takes the defaults for unset variables and names every missing required one", () => {
    expect(run.results.configurationManager).toEqual({
      fluentd: { host: "host.docker.internal", port: 8888, protocol: "http" },
      traces: "http://localhost:4318/v1/traces",
      sameShape: true,
      apiKeyPrinted: false,
      missing: ["SEED_NOT_SET_1", "SEED_NOT_SET_2"],
    });
  });

  it("11: ConnectionManager gives a handshaken forward client (reused), a warmed OTLP client and the pipeline's health", () => {
    expect(run.results.connectionManager).toMatchObject({ protocol: "forward", reused: true, sent: "ok", overall: "healthy" });
    expect(
      logs()
        .filter((r) => r.tag === "emp.api.connection-manager")
        .map((r) => r.record.message),
    ).toEqual(["sent through ConnectionManager"]);
  });

  it("12-13: a record in the seed's StandardLogEntry / StandardTraceSpan shape is ours, valid, and converts back unchanged", () => {
    const f = run.results.formatStandardizer!;
    expect(f).toMatchObject({ entryViolations: 0, spanViolations: 0, entryNanos: "1755424800123456789" });
    expect(f.entryBack).toEqual({
      timestamp: "2025-08-17T10:00:00.123456789Z",
      level: "info",
      message: "Server started",
      service: { name: "api-server", type: "api", environment: "production" },
      trace: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 0 },
      data: { port: 3001 },
    });
    expect(f.spanBack).toMatchObject({ startTime: 1755424800123.5, endTime: 1755424801623.5, attributes: { "job.type": "comfyui" } });
  });

  it("14: TelemetryTest is the seed's interface, both ways", () => {
    expect(run.results.testingLayer).toEqual({ endToEndHops: true, dash0Ok: false });
  });

  it("15-17: the API server's startup completes, the worker's job runs in job.process", () => {
    expect(run.results.apiServerIntegration).toEqual({ startupOk: true });
    expect(run.results.workerIntegration).toEqual({ result: "done job-17" });
    expect(spans().filter((s) => s.name === "api.startup")).toHaveLength(1);
  });

  it("16: a phase run without begin()/complete() is no orphan: its root ends at shutdown, saying it never completed", () => {
    const root = spans().find((s) => s.name === "machine.startup");
    expect(root?.status).toEqual({ code: 2, message: "startup never completed (ended at shutdown)" });
    const phase = spans().find((s) => s.name === "hardware_detection");
    expect(phase?.parentSpanId).toBe(root?.spanId);
    expect(run.results.machineIntegration).toEqual({ fluentBitConfigHasGlob: true });
  });

  it("leaves no orphan anywhere: every span's parent was exported too", () => {
    const ids = new Set(spans().map((s) => s.spanId));
    const orphans = spans().filter((s) => s.parentSpanId !== "" && !ids.has(s.parentSpanId));
    expect(orphans.map((s) => s.name)).toEqual([]);
  });
});

describe("the existing client's call shapes against the built package", () => {
  it("startup({ testConnections, logConfiguration, sendStartupPing }) resolves a pipeline report with overall", () => {
    expect(run.results.legacyCallShapes).toMatchObject({ overall: "healthy", connectivityOk: true, configurationLogged: true, pingSent: true });
    const config = logs().find((r) => r.record.message === "telemetry configuration");
    expect(JSON.stringify(config?.record)).not.toContain("seed-test-api-key-123");
  });

  it("log.addFile(path, name) registers another program's file or glob under that name and never writes it", () => {
    expect(run.combined).toBe("winston line\n");
    expect(run.literalGlobFile).toBe(false);
    const fluentBit = String(run.results.legacyCallShapes?.fluentBit);
    expect(fluentBit).toMatch(/tag: combined\n\s+path: \S+\/api-server\/logs\/combined\.log/);
    expect(fluentBit).toMatch(/tag: comfyui-gpu\n\s+path: '\S+\/workspace\/ComfyUI\/logs\/output-gpu\*\.log'/);
  });

  it("addEvent, withSpan, traceJobProcessing and the object form map onto trace.event, trace.span, job.process and our options", () => {
    expect(spans().map((s) => s.name)).toEqual(expect.arrayContaining(["webhook.reconnected", "user.registered"]));
    expect(run.results.legacyCallShapes).toMatchObject({ jobResult: "rendered", started: "started", objectFormType: "webhook" });
    const startup = spans().find((s) => s.name === "webhook.startup");
    expect(startup).toMatchObject({ kind: 2, attributes: { "initial.attribute": "value", port: 3001 } });
    expect(String(run.results.legacyCallShapes?.objectFormTraces)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/);
    const job = spans().filter((s) => s.name === "job.process" && (s.attributes as Record<string, unknown>)["emp.job.id"] === "job-42");
    expect(job).toHaveLength(1);
  });
});
