// `emp-telemetry doctor` (the built bin) flags a service name every service shares, from the environment and, with
// --collector-url, from what the local collector sees: several service types or machines under one service.name.
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { runBuiltCli } from "../helpers/built-cli.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector, testService, validLogEntry } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();

describe("emp-telemetry doctor: service identity", () => {
  it("flags SERVICE_NAME=emp-service, shared by every service, and says nothing for a service's own name", async () => {
    const env = { SERVICE_TYPE: "api", TELEMETRY_ENV: "dev", FLUENTD_HOST: "127.0.0.1", FLUENTD_PORT: "1", OTEL_ENABLED: "false" };
    const shared = await runBuiltCli(["doctor", "--timeout-ms", "500"], { ...env, SERVICE_NAME: "emp-service" });
    expect(shared.code).toBe(1); // Fluentd refuses: the hop fails; the identity section is a warning
    expect(shared.stdout).toContain("\nservice identity:\n  ! SERVICE_NAME=emp-service is shared by every service of the deployment:");
    const own = await runBuiltCli(["doctor", "--timeout-ms", "500"], { ...env, SERVICE_NAME: "emp-api" });
    expect(own.stdout).toContain("FAILED");
    expect(own.stdout).not.toContain("service identity");
  });

  it("with --collector-url lists each name the collector sees from several (type, machine) pairs", { timeout: 30_000 }, async () => {
    const collector = await startTestCollector(cleanups);
    const forward = createForwardTransport({ port: collector.ports.forward });
    cleanups.push(() => forward.close());
    const arrived = nextRecords(collector, 3);
    const shared = { ...testService, name: "emp-service" };
    const entries = [
      validLogEntry("api", {}, { ...shared, type: c.ServiceType.API }),
      validLogEntry("webhook", {}, { ...shared, type: c.ServiceType.WEBHOOK }),
      validLogEntry("machine", {}, { ...shared, type: c.ServiceType.MACHINE, machineId: "m-1" }),
    ];
    expect((await forward.send(createFluentLogEncoder("app")(entries))).status).toBe("ok");
    await arrived;
    const run = await runBuiltCli(["doctor", "--collector-url", `http://127.0.0.1:${String(collector.ports.status)}`], {
      SERVICE_NAME: "emp-service",
      SERVICE_TYPE: "machine",
      MACHINE_ID: "m-2",
      TELEMETRY_ENV: "dev",
      FLUENTD_HOST: "127.0.0.1",
      FLUENTD_PORT: String(collector.ports.forward),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${String(collector.ports.otlpHttp)}`,
    });
    expect(run.stdout).toContain("pipeline: OK");
    expect(run.code).toBe(0);
    const section = run.stdout.slice(run.stdout.indexOf("service identity:"));
    expect(section).toContain("! SERVICE_NAME=emp-service is shared by every service");
    // The doctor's own probes arrive as emp-service on machine m-2 too: a fourth source.
    expect(section).toMatch(
      /! the collector sees service\.name "emp-service" from 4 sources: api, webhook, machine on m-1, machine on m-2; give each its own SERVICE_NAME/,
    );
  });
});
