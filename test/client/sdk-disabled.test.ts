// OTEL_SDK_DISABLED=true: every call works, and nothing is sent or opened — no socket, no file.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { startSilentServer } from "../helpers/blackhole-servers.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { tempDir } from "../helpers/daemons.js";

const cleanups = cleanupsAfterEach();

/** A machine client whose Fluentd and OTLP endpoints are one counting receiver, and whose log dir is empty. */
async function run(extraEnv: Record<string, string>): Promise<{ connections: number; files: string[]; ok: boolean }> {
  const receiver = await startSilentServer();
  cleanups.push(() => receiver.close());
  const logs = tempDir("sdk-disabled-");
  cleanups.push(async () => logs.remove());
  const client = new EmpTelemetryClient({
    serviceType: "machine",
    handleExitSignals: false,
    registerGlobal: false,
    autoFluentBitConfig: true,
    healthCheckIntervalMs: 50,
    pipelineTests: { timeoutMs: 300 },
    env: {
      SERVICE_NAME: "gpu-box",
      TELEMETRY_ENV: "test",
      MACHINE_ID: "m-1",
      LOG_DIR: logs.dir,
      FLUENTD_HOST: "127.0.0.1",
      FLUENTD_PORT: String(receiver.port),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${String(receiver.port)}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: "300",
      OTEL_LOGS_EXPORTER: "otlp",
      ...extraEnv,
    },
  });
  client.log.info("hello", { a: 1 });
  client.log.error("failed", { error: new Error("x") });
  client.log.addFile(join(logs.dir, "extra.log"));
  await client.trace.span("work", async () => client.trace.event("step", { n: 1 }));
  await client.startup.phase("load", () => 1);
  await client.flush(500);
  if (extraEnv.OTEL_SDK_DISABLED !== undefined) await client.test.connectivity(); // checks only what is configured: nothing
  await new Promise((resolve) => setTimeout(resolve, 120)); // a periodic check would have run by now
  const ok = client.health().closed === false;
  await client.shutdown(500);
  return { connections: receiver.connections, files: readdirSync(logs.dir), ok };
}

describe("OTEL_SDK_DISABLED=true", () => {
  it("opens no socket and writes no file, while every call works", async () => {
    const disabled = await run({ OTEL_SDK_DISABLED: "true" });
    expect(disabled).toEqual({ connections: 0, files: [], ok: true });
  });

  it("is what stops them: the same client enabled connects and writes", async () => {
    const enabled = await run({});
    expect(enabled.connections).toBeGreaterThan(0);
    expect(enabled.files.length).toBeGreaterThan(0);
  });
});
