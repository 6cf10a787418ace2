/**
 * The collector's Dash0 stand-in: OTLP/HTTP behind `Authorization: Bearer <token>` (401) and
 * `Dash0-Dataset` (403), reached by our OTLP transport with its Dash0 target and by fetch.
 */
import { describe, expect, it } from "vitest";
import type { Collector } from "../../runtime/collector/collector.js";
import { encodeOtlpSpans } from "../../runtime/encoding/otlp-span-encoder.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { nextRecords, startTestCollector, validSpan } from "../helpers/collector-harness.js";

const cleanups = cleanupsAfterEach();
const token = "auth_dash0-test-token-123";

function send(collector: Collector, headers: Record<string, string>): Promise<Response> {
  const body = encodeOtlpSpans([validSpan("dash0.span")]).body;
  return fetch(`http://127.0.0.1:${collector.ports.dash0}/v1/traces`, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-protobuf", ...headers },
  });
}

describe("the Dash0 stand-in", () => {
  it("answers 401 without a token and with a wrong one, never echoing the token", async () => {
    const collector = await startTestCollector(cleanups, { dash0Token: token });
    const missing = await send(collector, {});
    const wrong = await send(collector, { authorization: "Bearer not-the-token" });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(await wrong.text()).not.toContain("not-the-token");
    expect(collector.status().hops.dash0).toMatchObject({ records: 0, errors: 2 });
    expect(JSON.stringify(collector.status())).not.toContain(token);
  });

  it("answers 403 when the token may not write to the dataset asked for", async () => {
    const collector = await startTestCollector(cleanups, { dash0Token: token, dash0Dataset: "staging" });
    expect((await send(collector, { authorization: `Bearer ${token}`, "dash0-dataset": "production" })).status).toBe(403);
    expect((await send(collector, { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await send(collector, { authorization: `Bearer ${token}`, "dash0-dataset": "staging" })).status).toBe(200);
  });

  it("takes spans from our OTLP transport with its Dash0 target (token and dataset headers)", async () => {
    const collector = await startTestCollector(cleanups, { dash0Token: token, dash0Dataset: "staging" });
    const transport = createOtlpHttpTransport({ url: `http://127.0.0.1:${collector.ports.dash0}/v1/traces`, dash0: { apiKey: token, dataset: "staging" } });
    cleanups.push(() => transport.close());
    const arrived = nextRecords(collector, 1);
    expect((await transport.send(encodeOtlpSpans([validSpan("to dash0", { "emp.health.probe_id": "probe-dash0" })]))).status).toBe("ok");
    expect((await arrived)[0]).toMatchObject({ source: "dash0", path: "/v1/traces", violations: [] });
    expect(collector.probe("probe-dash0").seen).toEqual({ dash0: { atMs: expect.any(Number) } });
  });
});
