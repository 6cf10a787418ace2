// flush(timeoutMs) and shutdown(timeoutMs) keep their deadline against a receiver that never answers, the
// span path included (the tracer provider's flush is the span sink's), and leave nothing that keeps the process alive.
import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { startSilentServer } from "../helpers/blackhole-servers.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { runFixtureApp } from "../helpers/run-fixture-app.js";

const cleanups = cleanupsAfterEach();

/** A client whose Fluentd and OTLP (traces and logs) endpoints are a receiver that accepts and never answers. */
async function silentClient(): Promise<EmpTelemetryClient> {
  const receiver = await startSilentServer();
  cleanups.push(() => receiver.close());
  const client = new EmpTelemetryClient({
    serviceType: "api",
    handleExitSignals: false,
    registerGlobal: false,
    env: {
      SERVICE_NAME: "deadline",
      TELEMETRY_ENV: "test",
      FLUENTD_HOST: "127.0.0.1",
      FLUENTD_PORT: String(receiver.port),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${String(receiver.port)}`,
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_LOGS_EXPORTER: "otlp",
    },
  });
  cleanups.push(() => client.shutdown(0));
  client.trace.span("work", () => client.log.info("inside", { n: 1 }));
  return client;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe("flush and shutdown deadlines against a silent receiver", () => {
  it("shutdown(500) returns within its deadline, reporting the records it dropped", async () => {
    const client = await silentClient();
    const { value, ms } = await timed(() => client.shutdown(500));
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(1200);
    expect(value.status).toBe("timeout");
    expect(value.pendingRecords).toBeGreaterThan(0);
    expect(client.health().closed).toBe(true);
  });

  it("flush(300) returns within its deadline, span sink included", async () => {
    const client = await silentClient();
    const { value, ms } = await timed(() => client.flush(300));
    expect(ms).toBeLessThan(1000);
    expect(value.status).toBe("timeout");
    expect(value.sinks.map((s) => s.health.name)).toContain("otlp-traces");
  });

  it("ends a process within the deadline too: nothing left behind keeps it alive", { timeout: 20_000 }, async () => {
    const receiver = await startSilentServer();
    cleanups.push(() => receiver.close());
    const run = await runFixtureApp("shutdown", {
      APP_TRACES: "on",
      EXIT_REPORT: "off",
      FLUENTD_PORT: String(receiver.port),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${String(receiver.port)}`,
      SHUTDOWN_MS: "500",
    });
    expect(run.code).toBe(0);
    const line = JSON.parse(run.stdout.trim()) as { shutdownMs: number; status: string };
    expect(line.status).toBe("timeout");
    expect(line.shutdownMs).toBeLessThan(1200);
    // Start-up of Node and of the package plus the 500 ms: far from the 5 s a forgotten timer would add.
    expect(run.elapsedMs - line.shutdownMs).toBeLessThan(3000);
  });
});
