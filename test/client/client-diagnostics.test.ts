// telemetry.test.* and the health service through the client.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { TelemetryHealthService } from "../../generated/index.js";
import { type Harness, startHarness } from "../helpers/client-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("telemetry.test", () => {
  it("checks every configured path and keeps the report for health", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    expect(h.client.lastReport()).toBeUndefined();
    const report = await h.client.test.connectivity();
    expect(report.ok).toBe(true);
    expect(report.fluentd?.steps.map((s) => [s.hop, s.ok])).toEqual(expect.arrayContaining([[expect.stringContaining("connect"), true]]));
    expect(report.otel?.httpStatus).toBe(200);
    expect(h.client.lastReport()).toBe(report);
    const frames = await h.fluentd.waitForFrames(1);
    expect(frames.some((f) => f.entries.some(([, r]) => typeof r["emp.health.probe_id"] === "string"))).toBe(true);
  });

  it("explains a refused Fluentd port, naming the variables to check", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api", fluentd: { host: "127.0.0.1", port: 1 } });
    const report = await h.client.test.fluentd();
    expect(report.ok).toBe(false);
    const failed = report.steps.find((s) => !s.ok)!;
    expect(failed.error).toContain("connection refused");
    expect(failed.remediation).toContain("FLUENTD_PORT");
  });
});

describe("the client's health service", () => {
  it("serves health and runs checks on request", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const server = await h.client.serveHealth();
    try {
      const rpc = createClient(TelemetryHealthService, createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" }));
      const checked = await rpc.runCheck({});
      expect(checked.report?.ok).toBe(true);
      const health = await rpc.getHealth({});
      expect(health.service?.name).toBe("api-server");
      expect(health.lastReport?.ok).toBe(true);
    } finally {
      await server.close();
    }
  });
});
