// The exit hooks' flush gives up at once on a receiver that refuses connections, waits for one that
// answers, and the debug diagnostics name where a sink sends.
import { afterEach, describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import type { EmpTelemetryClientOptions } from "../../runtime/client/client-options.js";
import { flushAtExit } from "../../runtime/client/exit-flush.js";
import { undeliveredLine } from "../../runtime/client/exit-report.js";
import type { Sink } from "../../runtime/reliability/sink/sink.js";
import { dropReasons } from "../../runtime/reliability/delivery-accounting.js";
import type { SinkHealth } from "../../runtime/reliability/sink/reports.js";
import { type ForwardReceiver, startForwardReceiver } from "../helpers/forward-receiver.js";
import { refusedPort } from "../helpers/run-fixture-app.js";

const clients: EmpTelemetryClient[] = [];
let receiver: ForwardReceiver | undefined;
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown(100)));
  await receiver?.close();
  receiver = undefined;
});

function client(port: number, extra: EmpTelemetryClientOptions = {}): EmpTelemetryClient {
  const c = new EmpTelemetryClient({
    env: {},
    serviceName: "exit-flush",
    serviceType: "api",
    environment: "test",
    handleExitSignals: false,
    registerGlobal: false,
    exitReport: false,
    otlp: { traces: false },
    fluentd: { host: "127.0.0.1", port },
    ...extra,
  });
  clients.push(c);
  return c;
}

/** The client's log sinks, through its health (the sinks themselves are private): flushAtExit takes sinks. */
function sinksOf(c: EmpTelemetryClient): Sink<unknown>[] {
  return [{ flush: (t: number) => c.flush(t).then((r) => r.sinks[0]!), health: () => c.health().sinks[0]! } as unknown as Sink<unknown>];
}

describe("flushAtExit", () => {
  it("gives up as soon as the receiver refuses the connection", async () => {
    const c = client(await refusedPort());
    c.log.info("lost");
    const started = performance.now();
    const report = await flushAtExit(sinksOf(c), 5000);
    expect(report.status).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(1500);
    expect(undeliveredLine({ sinkHealth: () => c.health().sinks, destinationOf: () => "127.0.0.1:1" })).toContain("1 log record not delivered to 127.0.0.1:1");
  });

  it("names each sink's unit and destination: spans, metric points, log records", () => {
    const dropped = { ...Object.fromEntries(dropReasons.map((reason) => [reason, 0])), shutdown: 1 };
    const sink = (name: string, target: string) => ({ name, target, queued: 0, inFlight: 0, dropped, lastError: undefined });
    const health = [sink("otlp-traces", "otlp-traces"), sink("otlp-metrics", "otlp-metrics"), sink("otlp-logs", "otlp-logs")];
    const line = undeliveredLine({ sinkHealth: () => health as unknown as SinkHealth[], destinationOf: (name) => `http://c:4318/${name}` });
    expect(line).toContain("1 span not delivered to http://c:4318/otlp-traces (otlp-traces)");
    expect(line).toContain("1 metric point not delivered to http://c:4318/otlp-metrics (otlp-metrics)");
    expect(line).toContain("1 log record not delivered to http://c:4318/otlp-logs (otlp-logs)");
  });

  it("completes when the receiver answers", async () => {
    receiver = await startForwardReceiver();
    const c = client(receiver.port);
    c.log.info("kept");
    const report = await flushAtExit(sinksOf(c), 5000);
    expect(report.status).toBe("complete");
    expect(undeliveredLine({ sinkHealth: () => c.health().sinks, destinationOf: () => "" })).toBeUndefined();
  });
});

describe("debug diagnostics", () => {
  it("name the host and port of a sink whose breaker opens", async () => {
    const port = await refusedPort();
    const lines: string[] = [];
    const c = client(port, { debug: true, diagnosticsWriter: (line) => void lines.push(line) });
    c.log.info("lost");
    for (let i = 0; i < 40 && c.health().sinks[0]?.breakerState !== "open"; i++) await c.flush(100);
    expect(lines.some((line) => line.includes(`fluentd-forward (127.0.0.1:${port}): circuit breaker closed → open`))).toBe(true);
  });
});
