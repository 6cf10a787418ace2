/**
 * `startPeriodicChecks`: the cheap checks in the background, never overlapping (a due run is skipped
 * and counted), surviving a throwing callback, stopping cleanly, on timers that never hold the
 * process open. 127.0.0.1 only.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ConnectivityReport } from "../../generated/index.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { createPipelineTests } from "../../runtime/diagnostics/pipeline-tests.js";
import { startSilentServer } from "../helpers/blackhole-servers.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { repoRoot } from "../helpers/daemons.js";
import { diagnosticsConfig } from "../helpers/diagnostics-config.js";
import { startForwardReceiver } from "../helpers/forward-receiver.js";
import { startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();
const sharedKey = "periodic-key-93";

async function receivers() {
  const forward = await startForwardReceiver({ sharedKey });
  const otlp = await startOtlpReceiver();
  cleanups.push(
    () => forward.close(),
    () => otlp.close(),
  );
  return { forward, otlp };
}

describe("startPeriodicChecks", () => {
  it("reports Fluentd connect + handshake (no record) and the empty OTLP export", async () => {
    const { forward, otlp } = await receivers();
    const tests = createPipelineTests(diagnosticsConfig({ fluentd: { port: forward.port, sharedKey }, otlp: { endpoint: otlp.url() } }), { timeoutMs: 2000 });
    const reports: ConnectivityReport[] = [];
    const checks = tests.startPeriodicChecks({ intervalMs: 60_000, onReport: (r) => reports.push(r) });
    cleanups.push(() => checks.stop());
    await until(() => reports.length === 1, 3000);
    const [report] = reports;
    expect(report?.ok).toBe(true);
    expect(report?.fluentd?.steps.map((s) => s.hop)).toEqual(["connect", "handshake"]);
    expect(report?.otel?.ok).toBe(true);
    expect(report?.endToEnd).toBeUndefined();
    expect(forward.frames).toHaveLength(0);
    expect(otlp.requests.map((r) => r.path)).toEqual(["/v1/traces"]);
    expect(checks.runs).toBe(1);
  });

  it("skips and counts runs that fall due while one is still going", async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const tests = createPipelineTests(diagnosticsConfig({ fluentd: { port: silent.port, sharedKey } }), { timeoutMs: 1500 });
    const reports: ConnectivityReport[] = [];
    const checks = tests.startPeriodicChecks({ intervalMs: 20, onReport: (r) => reports.push(r) });
    await until(() => checks.skipped >= 3, 1400);
    expect(checks.runs).toBe(1);
    expect(checks.running).toBe(true);
    expect(silent.connections).toBe(1);
    await checks.stop();
    expect(checks.running).toBe(false);
    expect(reports).toHaveLength(0); // the aborted run's report is not delivered after stop()
  });

  it("keeps running when onReport throws, counting each throw", async () => {
    const { forward, otlp } = await receivers();
    const tests = createPipelineTests(diagnosticsConfig({ fluentd: { port: forward.port, sharedKey }, otlp: { endpoint: otlp.url() } }), { timeoutMs: 2000 });
    const checks = tests.startPeriodicChecks({
      intervalMs: 20,
      onReport: () => {
        throw new Error("dashboard down");
      },
    });
    cleanups.push(() => checks.stop());
    await until(() => checks.callbackErrors >= 3, 3000);
    expect(checks.runs).toBeGreaterThanOrEqual(3);
  });

  it("rejects a bad interval and a missing callback with one TelemetryConfigError", () => {
    const tests = createPipelineTests(diagnosticsConfig());
    const bad = { intervalMs: 0, onReport: undefined } as unknown as Parameters<typeof tests.startPeriodicChecks>[0];
    expect(() => tests.startPeriodicChecks(bad)).toThrow(TelemetryConfigError);
    expect(() => tests.startPeriodicChecks(bad)).toThrow(/intervalMs=0 .*onReport=/);
  });

  it("never keeps the process alive (unref'd timers)", async () => {
    const { forward, otlp } = await receivers();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "test/helpers/periodic-checks-child.ts"), String(forward.port), otlp.url()], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
    clearTimeout(killer);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stdout).toContain("report false"); // fluentd needs the key: the child has none, so the run fails but still reports
  }, 20_000);
});
