/**
 * `fluentd()` with `fluentdMonitorUrl` against the real Fluentd 1.18 (../shared/tools/fluentd): its
 * `monitor_agent` lists every output's retry count, queued bytes and emitted records, and an output
 * that cannot deliver (`@type forward` to a closed port, retrying forever, like a Fluentd that cannot
 * reach Dash0) fails the report although Fluentd acks the probe. 127.0.0.1 only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FluentdHealthReport } from "../../../generated/index.js";
import { createPipelineTests } from "../../../runtime/diagnostics/pipeline-tests.js";
import { freePorts } from "../../helpers/daemons.js";
import { diagnosticsConfig } from "../../helpers/diagnostics-config.js";
import { startFluentd, type FluentdDaemon } from "../../helpers/fluentd-daemon.js";

const sharedKey = `monitor-key-${process.pid}`;
let fluentd: FluentdDaemon | undefined;
let forwardPort = 0;
let monitorPort = 0;

beforeAll(async () => {
  const [forward, monitor, closed] = (await freePorts(3)) as [number, number, number];
  forwardPort = forward;
  monitorPort = monitor;
  fluentd = await startFluentd(
    "diag-fluentd-",
    [forwardPort, monitorPort],
    () => `
<source>
  @type forward
  bind 127.0.0.1
  port ${forwardPort}
  <security>
    self_hostname fluentd-diag
    shared_key ${sharedKey}
  </security>
</source>
<source>
  @type monitor_agent
  bind 127.0.0.1
  port ${monitorPort}
</source>
<match dash0.**>
  @type forward
  @id unreachable_dash0
  <server>
    host 127.0.0.1
    port ${closed}
  </server>
  <buffer>
    @type memory
    flush_mode immediate
    retry_type periodic
    retry_wait 0.2
    retry_forever true
  </buffer>
</match>
`,
  );
}, 60000);

afterAll(async () => {
  await fluentd?.stop();
}, 20000);

function tests(probeTag: string) {
  return createPipelineTests(diagnosticsConfig({ fluentd: { port: forwardPort, sharedKey } }), {
    timeoutMs: 3000,
    probeTag,
    fluentdMonitorUrl: `http://127.0.0.1:${monitorPort}`,
  });
}

describe("fluentd() with monitor_agent (real Fluentd)", () => {
  it("reports every output's state and passes while none is retrying", async () => {
    const report = await tests("app.health.probe").fluentd();
    expect(report.steps.map((s) => [s.hop, s.ok])).toEqual([
      ["connect", true],
      ["handshake", true],
      ["send", true],
      ["ack", true],
      ["monitor_agent", true],
    ]);
    expect(report.ok).toBe(true);
    const ids = report.outputs.map((o) => o.pluginId);
    expect(ids).toContain("unreachable_dash0");
    expect(report.outputs.find((o) => o.pluginId === "unreachable_dash0")?.retryCount).toBe(0n);
  });

  it("fails on an output that is retrying although Fluentd acks the probe", async () => {
    const t = tests("dash0.health.probe");
    let report: FluentdHealthReport = await t.fluentd(); // the probe lands in the output that cannot deliver
    const deadline = Date.now() + 15000;
    // Each further check reads monitor_agent again, until Fluentd shows the output retrying.
    while (report.steps.every((s) => s.hop !== "output unreachable_dash0") && Date.now() < deadline) report = await t.fluentd();
    expect(report.ok).toBe(false);
    expect(report.steps.slice(0, 4).every((s) => s.ok)).toBe(true); // connect, handshake, send, ack
    const retrying = report.steps.find((s) => s.hop === "output unreachable_dash0");
    expect(retrying?.ok).toBe(false);
    const retryingError = new RegExp(
      [
        String.raw`^Fluentd accepts records, but its output unreachable_dash0 \(@type forward\) cannot deliver them: `,
        String.raw`it is retrying \(retry_count [1-9]\d*, [1-9]\d* bytes queued\)\.$`,
      ].join(""),
    );
    expect(retrying?.error).toMatch(retryingError);
    expect(retrying?.remediation).toContain("Check that output's destination in the Fluentd configuration");
    const state = report.outputs.find((o) => o.pluginId === "unreachable_dash0");
    expect(state?.type).toBe("forward");
    expect(state?.retryCount).toBeGreaterThan(0n);
    expect(state?.bufferTotalQueuedSize).toBeGreaterThan(0n);
    expect(state?.emitRecords).toBeGreaterThan(0n);
  }, 30000);
});
