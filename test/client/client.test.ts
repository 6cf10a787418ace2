// The client as services use it, against test receivers decoding the wire bytes.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { type Harness, startHarness } from "../helpers/client-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("EmpTelemetryClient logging", () => {
  it("writes entries with the contract's keys and the service's attribution on the Fluentd wire", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api", serviceVersion: "1.4.2" });
    h.client.log.info("Server started", { port: 3001, "emp.job.id": "job-1" });
    const [r] = await h.fluentRecords();
    expect(r).toMatchObject({
      message: "Server started",
      level: "info",
      port: 3001,
      "emp.job.id": "job-1",
      "service.name": "api-server",
      "emp.service.type": "api",
      "service.version": "1.4.2",
      "deployment.environment.name": "test",
      __tag: "emp.api.api-server",
    });
    expect(r!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  it("keeps an error's type, stack and cause chain", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    h.client.log.error("Database connection failed", new TypeError("ECONNREFUSED", { cause: new Error("socket closed") }));
    const [r] = await h.fluentRecords();
    expect(r).toMatchObject({ level: "error", "exception.type": "TypeError", "exception.message": "ECONNREFUSED" });
    expect(String(r!["exception.stacktrace"])).toContain("TypeError: ECONNREFUSED");
    expect(r!["emp.exception.causes"]).toEqual([expect.objectContaining({ "exception.type": "Error", "exception.message": "socket closed" })]);
  });

  it("binds a child's fields to every entry it writes", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const redis = h.client.log.child({ component: "redis" });
    redis.warn("slow command", { ms: 250 });
    redis.child({ db: 2 }).info("connected");
    const records = await h.fluentRecords();
    expect(records.map((r) => [r.message, r.component, r.db ?? null])).toEqual([
      ["slow command", "redis", null],
      ["connected", "redis", 2],
    ]);
  });

  it("makes levels below the configured one cost nothing and write nothing", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api", level: "warn" });
    h.client.log.debug("no");
    h.client.log.info("no");
    h.client.log.warn("yes");
    expect((await h.fluentRecords()).map((r) => r.message)).toEqual(["yes"]);
  });

  it("never throws into the caller, whatever it is given", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("no");
        },
      },
    );
    const log = h.client.log as unknown as Record<string, (...a: unknown[]) => void>;
    expect(() => {
      log.info!(undefined, cyclic);
      log.info!({ not: "a string" }, hostile);
      log.error!("x".repeat(100_000), Symbol("s"));
      log.warn!("", 10n);
    }).not.toThrow();
    const records = await h.fluentRecords();
    expect(records).toHaveLength(4);
    expect(h.client.health().repairs.cycles).toBe(1);
  });

  it("counts entries written after shutdown as shutdown drops", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    await h.client.shutdown(1000);
    h.client.log.info("too late");
    const health = h.client.health();
    expect(health.totals.droppedTotal).toBeGreaterThanOrEqual(1);
    expect(health.sinks.every((s) => s.emitted === s.delivered + s.droppedTotal + s.queued + s.inFlight)).toBe(true);
  });
});

describe("EmpTelemetryClient tracing", () => {
  it("nests spans by async context and correlates logs on both wires", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const { client } = h;
    await client.trace.span(
      "http.request",
      async () => {
        await new Promise((r) => setTimeout(r, 1));
        await client.trace.span(
          "db.query",
          async () => {
            client.log.info("inside");
          },
          { attributes: { "db.system": "postgresql" } },
        );
      },
      { kind: "server" },
    );
    const spans = await h.spans();
    const outer = spans.find((s) => s.name === "http.request")!;
    const inner = spans.find((s) => s.name === "db.query")!;
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(inner.traceId).toBe(outer.traceId);
    expect(outer.kind).toBe(2);
    expect(inner.attributes["db.system"]).toBe("postgresql");
    expect(outer.resource["service.name"]).toBe("api-server");
    const [fluent] = await h.fluentRecords();
    expect(fluent).toMatchObject({ trace_id: inner.traceId, span_id: inner.spanId });
    const [otlpLog] = await h.otlpLogs();
    expect(otlpLog).toMatchObject({ traceId: inner.traceId, spanId: inner.spanId, body: "inside" });
  });

  it("marks a throwing span as error, records the exception and rethrows the same error (sync and async)", async () => {
    h = await startHarness({ serviceName: "worker-1", serviceType: "worker", machineId: "m-1", workerId: "w-1" });
    const boom = new RangeError("boom");
    expect(() =>
      h!.client.trace.span("sync.fail", () => {
        throw boom;
      }),
    ).toThrow(boom);
    await expect(
      h.client.trace.span("async.fail", async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(h.client.trace.span("sync.ok", () => 42)).toBe(42);
    const spans = await h.spans();
    for (const name of ["sync.fail", "async.fail"]) {
      const s = spans.find((x) => x.name === name)!;
      expect(s.status).toEqual({ code: 2, message: "boom" });
      expect(s.events[0]).toMatchObject({ name: "exception", attributes: { "exception.type": "RangeError", "exception.message": "boom" } });
    }
    expect(spans.find((x) => x.name === "sync.ok")!.status.code).toBe(0);
  });

  it("adds an event to the active span, or makes a zero-length span outside one", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    h.client.trace.event("startup.ping", { duration: 1500 });
    h.client.trace.span("outer", () => h!.client.trace.event("cache.miss", { key: "k" }));
    const spans = await h.spans();
    expect(spans.find((s) => s.name === "startup.ping")).toMatchObject({ durationNanos: 0n, attributes: { duration: 1500 } });
    expect(spans.find((s) => s.name === "outer")!.events).toEqual([{ name: "cache.miss", attributes: { key: "k" } }]);
  });
});

describe("EmpTelemetryClient startup", () => {
  it("traces a root span with one child per phase and logs the StartupReport", async () => {
    h = await startHarness({
      serviceName: "gpu-1",
      serviceType: "machine",
      machineId: "m-1",
      machineType: "comfyui",
      startupPhases: ["hardware_detection", "service_startup", "worker_ready"],
    });
    const { startup } = h.client;
    await startup.begin();
    await startup.phase("hardware_detection", async () => "gpu");
    await expect(
      startup.phase("service_startup", async () => {
        throw new Error("comfyui did not start");
      }),
    ).rejects.toThrow("comfyui");
    const report = await startup.complete({ port: 8188 });
    expect(report.ok).toBe(false);
    expect(report.phases.map((p) => [p.name, p.status])).toEqual([
      ["hardware_detection", 2],
      ["service_startup", 3],
      ["worker_ready", 4],
    ]);
    const spans = await h.spans();
    const root = spans.find((s) => s.name === "machine.startup")!;
    const phases = spans.filter((s) => s.parentSpanId === root.spanId).map((s) => [s.name, s.status.code]);
    expect(phases).toEqual([
      ["hardware_detection", 0],
      ["service_startup", 2],
    ]);
    expect(root.status.code).toBe(2);
    expect(root.resource).toMatchObject({ "emp.machine.id": "m-1", "emp.machine.type": "comfyui" });
    const log = (await h.fluentRecords()).find((r) => r.message === "machine startup failed")!;
    expect(log).toMatchObject({ level: "error", "emp.startup.ok": false, port: 8188, trace_id: root.traceId });
    expect((log["emp.startup.phases"] as unknown[]).length).toBe(3);
  });
});

describe("EmpTelemetryClient jobs", () => {
  it("processes a job handed over with traceparent as a child span, with lifecycle events under emp.job.id", async () => {
    h = await startHarness({ serviceName: "worker-1", serviceType: "worker", machineId: "m-1", workerId: "w-1", connectorType: "comfyui" });
    const { client } = h;
    // The API side: a span that puts a job on the queue with its trace context.
    const queued: Record<string, unknown>[] = [];
    client.trace.span("api.submit", () => queued.push(client.context.inject({ id: "job-42", type: "comfyui.txt2img" })), { kind: "producer" });
    const job = queued[0]!;
    const result = await client.job.process(job, async (_j, ctl) => {
      ctl.progress(40, "sampling", { current: 8, total: 20 });
      return "image.png";
    });
    expect(result).toBe("image.png");
    const spans = await h.spans();
    const submit = spans.find((s) => s.name === "api.submit")!;
    const processed = spans.find((s) => s.name === "job.process")!;
    expect(processed.parentSpanId).toBe(submit.spanId);
    expect(processed.traceId).toBe(submit.traceId);
    expect(processed.kind).toBe(5);
    expect(processed.events.map((e) => e.name)).toEqual(["job.received", "job.started", "job.progress", "job.completed"]);
    expect(processed.events.every((e) => e.attributes["emp.job.id"] === "job-42")).toBe(true);
    expect(processed.resource).toMatchObject({ "emp.worker.id": "w-1", "emp.worker.connector_type": "comfyui" });
    const logs = (await h.fluentRecords()).filter((r) => String(r.message).startsWith("job."));
    expect(logs.map((r) => r["emp.job.lifecycle"])).toEqual(["received", "started", "progress", "completed"]);
    expect(logs[2]).toMatchObject({ "emp.job.progress": 40, "emp.job.step.current": 8, "emp.job.step.total": 20, trace_id: submit.traceId });
    for (const alias of ["job_id", "jobId", "emp.job_id", "job.id"]) expect(logs[0]).not.toHaveProperty(alias);
  });

  it("records a failure with the error type and can_retry, and rethrows it", async () => {
    h = await startHarness({ serviceName: "worker-1", serviceType: "worker", machineId: "m-1", workerId: "w-1" });
    const oom = Object.assign(new Error("CUDA out of memory"), { name: "OutOfMemoryError", canRetry: false });
    await expect(
      h.client.job.process({ jobId: "job-7" }, async () => {
        throw oom;
      }),
    ).rejects.toBe(oom);
    const failed = (await h.fluentRecords()).find((r) => r["emp.job.lifecycle"] === "failed")!;
    expect(failed).toMatchObject({ level: "error", "emp.job.id": "job-7", "emp.job.can_retry": false, "exception.type": "OutOfMemoryError" });
    const span = (await h.spans()).find((s) => s.name === "job.process")!;
    expect(span.status.code).toBe(2);
  });
});

describe("EmpTelemetryClient configuration", () => {
  it("names every problem at once when constructed with bad configuration", () => {
    let error: unknown;
    try {
      new EmpTelemetryClient({ env: { SERVICE_TYPE: "worker", FLUENTD_PORT: "http" }, handleExitSignals: false, registerGlobal: false });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(TelemetryConfigError);
    const message = (error as Error).message;
    for (const name of ["SERVICE_NAME", "TELEMETRY_ENV", "MACHINE_ID", "WORKER_ID", "FLUENTD_PORT"]) expect(message).toContain(name);
  });

  it("never shows the Dash0 key or the shared key in inspect, JSON or health", () => {
    const client = new EmpTelemetryClient({
      env: { DASH0_API_KEY: "dash0-secret-token", DASH0_ENDPOINT: "https://ingress.example.com", FLUENTD_SHARED_KEY: "shared-secret-key" },
      serviceName: "api-server",
      serviceType: "api",
      environment: "test",
      handleExitSignals: false,
      registerGlobal: false,
    });
    const outputs = [
      inspect(client, { depth: Infinity, showHidden: true }),
      inspect(client.config, { depth: Infinity }),
      JSON.stringify(client.config),
      JSON.stringify(client.health()),
      client.fluentBitConfig(),
    ];
    for (const out of outputs) {
      expect(out).not.toContain("dash0-secret-token");
      expect(out).not.toContain("shared-secret-key");
    }
    void client.shutdown(100);
  });
});
