// Debug mode and the periodic checks feeding the breakers.
import { afterEach, describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { freePorts } from "../helpers/daemons.js";
import { createRestartableForwardReceiver, type RestartableForwardReceiver } from "../helpers/restartable-forward-receiver.js";

let client: EmpTelemetryClient | undefined;
let receiver: RestartableForwardReceiver | undefined;
afterEach(async () => {
  await client?.shutdown(1000);
  await receiver?.stop();
  client = undefined;
  receiver = undefined;
});

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const base = {
  env: {},
  serviceName: "api-server",
  serviceType: "api" as const,
  environment: "test",
  otlp: { traces: false },
  handleExitSignals: false,
  registerGlobal: false,
};

describe("debug mode", () => {
  it("prints every record and the breaker's changes, never the shared key", async () => {
    const [port] = await freePorts(1);
    const lines: string[] = [];
    client = new EmpTelemetryClient({
      ...base,
      debug: true,
      debugRecords: true,
      diagnosticsWriter: (l) => lines.push(l),
      fluentd: { host: "127.0.0.1", port: port!, sharedKey: "debug-secret-key" },
    });
    client.log.info("hello", { "app.n": 1 });
    expect(lines.some((l) => l.includes("record {") && l.includes('"message":"hello"'))).toBe(true);
    await until(() => lines.some((l) => l.includes("circuit breaker closed → open")), 10_000);
    expect(lines.join("")).not.toContain("debug-secret-key");
  }, 15_000);

  it("prints nothing without debug", () => {
    const lines: string[] = [];
    client = new EmpTelemetryClient({ ...base, debugRecords: true, diagnosticsWriter: (l) => lines.push(l), fluentd: { host: "127.0.0.1", port: 1 } });
    client.log.info("quiet");
    expect(lines).toEqual([]);
  });
});

describe("periodic health checks", () => {
  it("let an open breaker probe as soon as a check sees the receiver back, not after its cool-down", async () => {
    const [port] = await freePorts(1);
    receiver = createRestartableForwardReceiver(port!);
    client = new EmpTelemetryClient({ ...base, fluentd: { host: "127.0.0.1", port: port! }, healthCheckIntervalMs: 200, pipelineTests: { timeoutMs: 1000 } });
    client.log.info("waiting for the collector");
    const sink = (): { breakerState: string; delivered: number } => client!.health().sinks[0]!;
    await until(() => sink().breakerState === "open", 10_000);
    await receiver.start();
    const reopened = Date.now();
    await until(() => sink().delivered === 1, 5_000);
    // The breaker's own cool-down is 10 s; the check cut it short.
    expect(Date.now() - reopened).toBeLessThan(5_000);
  }, 25_000);
});
