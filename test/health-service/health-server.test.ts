// The TelemetryHealthService over a real client, asked with Connect, gRPC-web and gRPC on one port.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { type HealthServer, startHealthServer } from "../../runtime/health-service/health-server.js";
import { type Harness, startHarness } from "../helpers/client-harness.js";

let h: Harness;
let server: HealthServer;
let checks = 0;

beforeAll(async () => {
  h = await startHarness({ serviceName: "api-server", serviceType: "api" });
  const report = c.buildConnectivityReport({ ok: true, endToEnd: { ok: true, probeId: "p-1", hops: [{ hop: "app->fluentd", ok: true, latencyMs: 1.5 }] } });
  server = await startHealthServer({
    service: h.client.service,
    health: () => h.client.health(),
    lastReport: () => (checks > 0 ? report : undefined),
    runCheck: async () => {
      checks++;
      return report;
    },
  });
  h.client.log.info("one entry");
  await h.client.flush(5000);
});

afterAll(async () => {
  await server.close();
  await h.close();
});

describe.each([
  ["Connect", () => createConnectTransport({ baseUrl: server.url, httpVersion: "1.1" })],
  ["gRPC-web", () => createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" })],
  ["gRPC", () => createGrpcTransport({ baseUrl: server.url })],
] as const)("TelemetryHealthService over %s", (_name, transport) => {
  it("returns the client's sinks, counters and service", async () => {
    const client = createClient(c.TelemetryHealthService, transport());
    const res = await client.getHealth({});
    expect(res.ok).toBe(true);
    expect(res.service?.name).toBe("api-server");
    const fluentd = res.sinks.find((s) => s.name === "fluentd-forward")!;
    expect(fluentd).toMatchObject({ breakerState: "closed", emitted: 1n, delivered: 1n, queued: 0n, inFlight: 0n });
    expect(c.validateGetHealthResponse(res)).toEqual([]);
  });

  it("runs a check on request and keeps it as the last report", async () => {
    const client = createClient(c.TelemetryHealthService, transport());
    const before = checks;
    const res = await client.runCheck({});
    expect(checks).toBe(before + 1);
    expect(res.report?.endToEnd?.hops[0]?.hop).toBe("app->fluentd");
    expect((await client.getHealth({})).lastReport?.ok).toBe(true);
  });
});
