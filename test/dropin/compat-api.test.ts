// Issue 15 items 1-2 on the source: the seed's TelemetryConfig and ConnectionManager, the existing
// client's factory, startup() and their debug-mode notices, and startup phases that never complete.
import { createServer } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { ConnectionManager } from "../../runtime/compat/connection-manager.js";
import { createTelemetryClient } from "../../runtime/compat/create-telemetry-client.js";
import { TelemetryConfig } from "../../runtime/config/telemetry-config-class.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { startHarness } from "../helpers/client-harness.js";
import { startForwardReceiver } from "../helpers/forward-receiver.js";
import { nextRecords, startTestCollector } from "../helpers/collector-harness.js";
import * as c from "../../generated/index.js";

const validService = c.buildServiceMetadata({ name: "api-server", type: c.serviceTypeValues.API, environment: "test" });

const env = { SERVICE_NAME: "api-server", TELEMETRY_ENV: "test" };
const quiet = { handleExitSignals: false, registerGlobal: false } as const;

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (error) {
    if (error instanceof TelemetryConfigError) return error.problems.map((p) => p.key);
    throw error;
  }
  return [];
}

/** A port on 127.0.0.1 that refuses connections (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe("TelemetryConfig (the seed's class)", () => {
  it("takes a variable from the environment over its default, and the default when it is unset", () => {
    const defaults = { fluentdHost: "host.docker.internal", fluentdPort: 24225, otelEndpoint: "http://localhost:4318/v1/traces" };
    const fromDefaults = new TelemetryConfig({ serviceType: "api", defaults, env });
    expect(fromDefaults.fluentd).toMatchObject({ host: "host.docker.internal", port: 24225, protocol: "forward" });
    expect(fromDefaults.otlp.tracesEndpoint).toBe("http://localhost:4318/v1/traces");
    const fromEnv = new TelemetryConfig({
      serviceType: "api",
      defaults,
      env: { ...env, FLUENTD_HOST: "fluentd", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" },
    });
    expect(fromEnv.fluentd.host).toBe("fluentd");
    expect(fromEnv.otlp.tracesEndpoint).toBe("http://c:4318/v1/traces");
  });

  it("names every missing required variable, every bad default (under its own key) and every bad variable in one error", () => {
    const keys = problemsOf(
      () =>
        new TelemetryConfig({
          serviceType: "api",
          required: ["DASH0_API_KEY", "MACHINE_ID"],
          defaults: { fluentdPort: 99999, fluentdHots: "x" } as never,
          env: { ...env, FLUENTD_TLS: "maybe" },
        }),
    );
    expect(keys.sort()).toEqual(["DASH0_API_KEY", "FLUENTD_TLS", "MACHINE_ID", "defaults.fluentdHots", "defaults.fluentdPort"]);
  });

  it("is the resolved configuration: frozen, secrets redacted, and what a client is built from", () => {
    const config = new TelemetryConfig({ serviceType: "api", env: { ...env, DASH0_API_KEY: "key-123456", DASH0_ENDPOINT: "https://x.dash0.com" } });
    expect(Object.isFrozen(config)).toBe(true);
    expect(JSON.stringify(config)).not.toContain("key-123456");
    const client = new EmpTelemetryClient(config);
    expect(client.config).toBe(config);
    void client.shutdown(100);
  });
});

describe("createTelemetryClient (the existing client's factory)", () => {
  it("takes a service type, everything else from the environment", async () => {
    vi.stubEnv("SERVICE_NAME", "emp-service");
    vi.stubEnv("TELEMETRY_ENV", "test");
    try {
      const client = createTelemetryClient("webhook");
      expect(client.config.service).toMatchObject({ type: "webhook", name: "emp-service" });
      await client.shutdown(100);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("takes the existing object form; with no SERVICE_TYPE the type is the one the name contains", async () => {
    const client = createTelemetryClient({
      serviceName: "emp-webhook",
      serviceVersion: "1.0.0",
      environment: "development",
      collectorEndpoint: "http://c:4318",
    });
    expect(client.config.service).toMatchObject({ name: "emp-webhook", type: "webhook", version: "1.0.0", environment: "development" });
    expect(client.config.otlp.tracesEndpoint).toBe("http://c:4318/v1/traces");
    await client.shutdown(100);
  });
});

describe("the existing client's calls in debug mode", () => {
  it("name their new form once each", async () => {
    const lines: string[] = [];
    const h = await startHarness({
      serviceName: "api-server",
      serviceType: "worker",
      machineId: "m",
      workerId: "w",
      debug: true,
      diagnosticsWriter: (l) => lines.push(l),
    });
    for (let i = 0; i < 3; i++) {
      h.client.addEvent("e", { i });
      await h.client.job.traceJobProcessing(`j${i}`, "t", () => i);
      h.client.log.addFile(`/tmp/emp-dropin-${i}.log`, "stream");
    }
    await h.client.startup({});
    const notices = lines.filter((l) => l.includes("existing client's form"));
    expect(notices).toHaveLength(4);
    expect(notices.join("")).toContain("telemetry.trace.event(name, attributes)");
    expect(notices.join("")).toContain("telemetry.job.process");
    await h.close();
  });
});

describe("telemetry.startup({...})", () => {
  it("resolves overall failed when no configured hop answers, degraded when one of two does", async () => {
    const port = await closedPort();
    const failed = new EmpTelemetryClient({ ...quiet, env: {}, serviceName: "s", serviceType: "api", environment: "t", fluentd: { host: "127.0.0.1", port } });
    const report = await failed.startup({ testConnections: true });
    expect(report.overall).toBe("failed");
    await failed.shutdown(100);
    const fluentd = await startForwardReceiver();
    const degraded = new EmpTelemetryClient({
      ...quiet,
      env: {},
      serviceName: "s",
      serviceType: "api",
      environment: "t",
      fluentd: { host: "127.0.0.1", port: fluentd.port },
      otlp: { endpoint: `http://127.0.0.1:${port}` },
      pipelineTests: { timeoutMs: 2000 },
    });
    expect((await degraded.startup({ testConnections: true })).overall).toBe("degraded");
    await degraded.shutdown(100);
    await fluentd.close();
  });
});

describe("startup phases never completed", () => {
  it("end their root at flush with an error status, and complete() afterwards still reports", async () => {
    const h = await startHarness({ serviceName: "gpu", serviceType: "machine", machineId: "m-1" });
    await h.client.startup.phase("hardware_detection", () => undefined);
    const spans = await h.spans();
    const root = spans.find((s) => s.name === "machine.startup");
    expect(root?.status).toEqual({ code: 2, message: "startup never completed (ended at flush)" });
    expect(root?.attributes["emp.startup.completed"]).toBe(false);
    expect(spans.find((s) => s.name === "hardware_detection")?.parentSpanId).toBe(root?.spanId);
    const report = await h.client.startup.complete();
    expect(report.phases.map((p) => p.name)).toEqual(["hardware_detection"]);
    expect((await h.spans()).filter((s) => s.name === "machine.startup")).toHaveLength(1);
    await h.close();
  });
});

describe("ConnectionManager", () => {
  it("rejects after its tries with the transport's error when Fluentd refuses connections", async () => {
    const port = await closedPort();
    const config = new TelemetryConfig({ serviceType: "api", fluentd: { host: "127.0.0.1", port }, env });
    const manager = new ConnectionManager(config, { attempts: 2 });
    await expect(manager.ensureFluentdConnection()).rejects.toMatchObject({ code: "unavailable" });
  });

  it("does not retry a wrong shared key, and says so without the key", async () => {
    const fluentd = await startForwardReceiver({ sharedKey: "the-right-key" });
    const config = new TelemetryConfig({ serviceType: "api", fluentd: { host: "127.0.0.1", port: fluentd.port, sharedKey: "a-wrong-key-1" }, env });
    const manager = new ConnectionManager(config, { attempts: 3 });
    const error = await manager.ensureFluentdConnection().then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(error?.code).toBe("rejected");
    expect(error?.message).not.toContain("a-wrong-key-1");
    expect(fluentd.connections).toBe(1);
    await fluentd.close();
  });

  it("names every bad option at construction", () => {
    const config = new TelemetryConfig({ serviceType: "api", env });
    expect(() => new ConnectionManager(config, { attempts: 0, connectTimeoutMs: -1 })).toThrow(/attempts.*connectTimeoutMs/s);
  });
});

describe("ConnectionManager over in_http and OTLP", () => {
  it("gives an in_http client whose entries the receiver stores under the tag, and a warmed OTLP client", async () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    try {
      const collector = await startTestCollector(cleanups);
      const config = new TelemetryConfig({
        serviceType: "api",
        fluentd: { protocol: "http", host: "127.0.0.1", port: collector.ports.http },
        otlp: { endpoint: `http://127.0.0.1:${collector.ports.otlpHttp}` },
        env,
      });
      const manager = new ConnectionManager(config);
      cleanups.push(() => manager.close());
      const stored = nextRecords(collector, 1, 5000, (r) => r.tag === "app.manager");
      const fluentd = await manager.ensureFluentdConnection();
      expect(fluentd.protocol).toBe("http");
      const entry = c.buildStandardLogEntry({
        timeUnixNano: 1_755_424_800_000_000_000n,
        level: c.logLevelValues.INFO,
        message: "over in_http",
        service: validService,
      });
      expect((await fluentd.send([entry], "app.manager")).status).toBe("ok");
      expect((await stored)[0]?.record.message).toBe("over in_http");
      const otel = await manager.ensureOtelConnection();
      expect(otel.endpoint).toBe(`http://127.0.0.1:${collector.ports.otlpHttp}/v1/traces`);
      expect(await manager.ensureOtelConnection()).toBe(otel);
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }
  });

  it("rejects ensureOtelConnection when the endpoint refuses, and tries again on the next call", async () => {
    const port = await closedPort();
    const config = new TelemetryConfig({ serviceType: "api", otlp: { endpoint: `http://127.0.0.1:${port}` }, env });
    const manager = new ConnectionManager(config, { attempts: 1 });
    await expect(manager.ensureOtelConnection()).rejects.toMatchObject({ code: "unavailable" });
    await expect(manager.ensureOtelConnection()).rejects.toMatchObject({ code: "unavailable" });
  });
});
