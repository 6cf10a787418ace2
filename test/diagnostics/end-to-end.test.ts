/**
 * `telemetry.test.endToEnd()` and `connectivity()`: the probe through a forward receiver and an OTLP
 * receiver on 127.0.0.1, confirmed by a fake collector that the receivers report sightings to.
 */
import { describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js";
import { ExportTraceServiceRequestSchema } from "../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { validateConnectivityReport, validatePipelineReport } from "../../generated/index.js";
import { createPipelineTests } from "../../runtime/diagnostics/pipeline-tests.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { diagnosticsConfig } from "../helpers/diagnostics-config.js";
import { startFakeCollector, type FakeCollector } from "../helpers/fake-collector.js";
import { startForwardReceiver, type ForwardReceiver } from "../helpers/forward-receiver.js";
import { attributesOf, startOtlpReceiver, type OtlpReceiver } from "../helpers/otlp-receiver.js";
import type { ReceivedHttpRequest } from "../helpers/scripted-http-receiver.js";

const cleanups = cleanupsAfterEach();

/** Receivers that tell the fake collector what they got (like the real collector's inputs would). */
async function pipeline(collector?: FakeCollector): Promise<{ forward: ForwardReceiver; otlp: OtlpReceiver }> {
  const forward = await startForwardReceiver();
  cleanups.push(() => forward.close());
  const otlp = await startOtlpReceiver((request: ReceivedHttpRequest) => {
    if (collector !== undefined) {
      if (request.path === "/v1/logs") {
        const body = fromBinary(ExportLogsServiceRequestSchema, request.body);
        const id = attributesOf(body.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes)["emp.health.probe_id"];
        if (typeof id === "string") collector.see(id, "otlpHttpLogs");
      } else {
        const body = fromBinary(ExportTraceServiceRequestSchema, request.body);
        const id = attributesOf(body.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.attributes)["emp.health.probe_id"];
        if (typeof id === "string") collector.see(id, "otlpHttpTraces");
      }
    }
    return { status: 200 };
  });
  cleanups.push(() => otlp.close());
  return { forward, otlp };
}

/** Reports each forward frame's probe to the collector as it arrives. */
function relayForward(forward: ForwardReceiver, collector: FakeCollector): void {
  void forward.waitForFrames(1, 3000).then(
    (frames) => {
      for (const frame of frames)
        for (const [, record] of frame.entries) {
          const id = record["emp.health.probe_id"];
          if (typeof id === "string") collector.see(id, "forward");
        }
    },
    () => undefined,
  );
}

function config(forward: ForwardReceiver, otlp: OtlpReceiver) {
  return diagnosticsConfig({ fluentd: { port: forward.port }, otlp: { endpoint: otlp.url(), logs: true } });
}

async function collector(): Promise<FakeCollector> {
  const c = await startFakeCollector();
  cleanups.push(() => c.close());
  return c;
}

describe("endToEnd()", () => {
  it("marks every path accepted_only without a collector", async () => {
    const { forward, otlp } = await pipeline();
    const report = await createPipelineTests(config(forward, otlp), { timeoutMs: 2000 }).endToEnd();
    expect(report.ok).toBe(true);
    expect(report.probeId).toMatch(/^probe-/);
    expect(report.hops.map((h) => [h.hop, h.ok, h.acceptedOnly])).toEqual([
      ["app->fluentd (forward)", true, true],
      ["app->otlp (logs)", true, true],
      ["app->otlp (traces)", true, true],
    ]);
    expect(validatePipelineReport(report)).toEqual([]);
    expect(forward.frames[0]?.entries[0]?.[1]["emp.health.probe_id"]).toBe(report.probeId);
  });

  it("confirms every path once the collector reports the probe, with per-hop latency", async () => {
    const c = await collector();
    const { forward, otlp } = await pipeline(c);
    relayForward(forward, c);
    const report = await createPipelineTests(config(forward, otlp), { timeoutMs: 3000, collectorUrl: c.url, pollIntervalMs: 20 }).endToEnd();
    expect(report.hops.map((h) => [h.hop, h.ok, h.acceptedOnly])).toEqual([
      ["app->fluentd (forward)", true, false],
      ["fluentd (forward)->collector", true, false],
      ["app->otlp (logs)", true, false],
      ["otlp (logs)->collector", true, false],
      ["app->otlp (traces)", true, false],
      ["otlp (traces)->collector", true, false],
    ]);
    expect(report.ok).toBe(true);
    expect(report.totalLatencyMs).toBeLessThan(3000);
  });

  it("fails the hop the collector never saw, at the deadline", async () => {
    const c = await collector();
    const { forward, otlp } = await pipeline(c); // forward frames are not relayed: lost after Fluentd
    const started = Date.now();
    const report = await createPipelineTests(config(forward, otlp), { timeoutMs: 600, collectorUrl: c.url, pollIntervalMs: 20 }).endToEnd();
    expect(Date.now() - started).toBeLessThan(600 + 250);
    expect(report.ok).toBe(false);
    const lost = report.hops.find((h) => h.hop === "fluentd (forward)->collector");
    expect(lost?.ok).toBe(false);
    expect(lost?.error).toBe("fluentd (forward) accepted the probe, but the collector had not seen it after 600 ms.");
    expect(lost?.remediation).toContain("fluentdMonitorUrl and fluentBitUrl show retries");
    expect(report.hops.find((h) => h.hop === "app->fluentd (forward)")?.acceptedOnly).toBe(true);
    expect(report.hops.find((h) => h.hop === "otlp (logs)->collector")?.ok).toBe(true);
  });

  it("says when the collector cannot be asked", async () => {
    const c = await collector();
    c.failWith(500);
    const { forward, otlp } = await pipeline();
    const report = await createPipelineTests(config(forward, otlp), { timeoutMs: 2000, collectorUrl: c.url }).endToEnd();
    const hop = report.hops.find((h) => h.hop === "otlp (traces)->collector");
    expect(hop?.error).toBe(`Could not ask the collector at ${c.url}/api/probes/${report.probeId} about the probe (HTTP 500, not the probe API's JSON).`);
    expect(hop?.remediation).toBe("Check the collectorUrl option and that the collector (emp-telemetry dev) is running.");
  });

  it("carries the first hop's error when a path is not accepted", async () => {
    const { otlp } = await pipeline();
    otlp.script({ status: 401 }, { status: 401 });
    const report = await createPipelineTests(diagnosticsConfig({ otlp: { endpoint: otlp.url(), logs: true } }), { timeoutMs: 2000 }).endToEnd();
    expect(report.ok).toBe(false);
    expect(report.hops.map((h) => [h.hop, h.ok])).toEqual([
      ["app->otlp (logs)", false],
      ["app->otlp (traces)", false],
    ]);
    expect(report.hops[0]?.remediation).toBe("Check OTEL_EXPORTER_OTLP_HEADERS (e.g. Authorization=Bearer <token>).");
  });
});

describe("connectivity()", () => {
  it("runs every configured check in parallel into one report", async () => {
    const { forward, otlp } = await pipeline();
    const report = await createPipelineTests(config(forward, otlp), { timeoutMs: 2000 }).connectivity();
    expect(report.ok).toBe(true);
    expect(report.fluentd?.ok).toBe(true);
    expect(report.otel?.ok).toBe(true);
    expect(report.dash0).toBeUndefined();
    expect(report.endToEnd?.ok).toBe(true);
    expect(validateConnectivityReport(report)).toEqual([]);
  });

  it("is not ok when one configured check fails", async () => {
    const { forward, otlp } = await pipeline();
    const [port] = [forward.port];
    await forward.close();
    const report = await createPipelineTests(diagnosticsConfig({ fluentd: { port }, otlp: { endpoint: otlp.url() } }), { timeoutMs: 2000 }).connectivity();
    expect(report.ok).toBe(false);
    expect(report.fluentd?.ok).toBe(false);
    expect(report.otel?.ok).toBe(true);
  });
});
