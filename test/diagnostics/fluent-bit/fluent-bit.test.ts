/**
 * `endToEnd()` with `fluentBitUrl` against the real Fluent Bit 4.2.8 (../shared/tools/fluent-bit,
 * `http_server on`, `health_check on`): its `/api/v1/metrics` record counters, read before and after
 * the probe, say whether Fluent Bit passed the probe on. Tags route the probe to a working output (our
 * forward receiver) or to one that cannot deliver (a closed port). 127.0.0.1 only.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPipelineTests } from "../../../runtime/diagnostics/pipeline-tests.js";
import { freePorts, startDaemon, tempDir, toolsDir, waitForPort, type Daemon } from "../../helpers/daemons.js";
import { diagnosticsConfig } from "../../helpers/diagnostics-config.js";
import { startFakeCollector, type FakeCollector } from "../../helpers/fake-collector.js";
import { startForwardReceiver, type ForwardReceiver } from "../../helpers/forward-receiver.js";

let daemon: Daemon | undefined;
let downstream: ForwardReceiver | undefined;
let collector: FakeCollector | undefined;
let temp: ReturnType<typeof tempDir> | undefined;
let inputPort = 0;
let httpPort = 0;

beforeAll(async () => {
  temp = tempDir("diag-fluent-bit-");
  downstream = await startForwardReceiver();
  collector = await startFakeCollector();
  const [input, http, closed] = (await freePorts(3)) as [number, number, number];
  inputPort = input;
  httpPort = http;
  const config = path.join(temp.dir, "fluent-bit.yaml");
  writeFileSync(
    config,
    `
service:
  flush: 0.2
  grace: 1
  log_level: info
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${httpPort}
  health_check: on
pipeline:
  inputs:
    - name: forward
      listen: 127.0.0.1
      port: ${inputPort}
  outputs:
    - name: forward
      match: 'good.*'
      host: 127.0.0.1
      port: ${downstream.port}
    - name: forward
      match: 'stuck.*'
      host: 127.0.0.1
      port: ${closed}
      retry_limit: false
`,
  );
  daemon = startDaemon(path.join(toolsDir, "fluent-bit/run"), ["-c", config], path.join(temp.dir, "fluent-bit.log"));
  await waitForPort(inputPort, daemon, 20000);
  await waitForPort(httpPort, daemon, 10000);
  await metricsServed(`http://127.0.0.1:${httpPort}/api/v1/metrics`, 10000);
}, 40000);

/** Fluent Bit opens its HTTP port a moment before its API routes answer (404 meanwhile): wait for a 200. */
async function metricsServed(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    (await fetch(url).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${daemon?.log() ?? ""}`);
    await delay(50);
  }
}

afterAll(async () => {
  await daemon?.stop();
  await downstream?.close();
  await collector?.close();
  temp?.remove();
}, 20000);

function tests(probeTag: string, timeoutMs: number, collectorUrl?: string) {
  return createPipelineTests(diagnosticsConfig({ fluentd: { port: inputPort } }), {
    timeoutMs,
    probeTag,
    fluentBitUrl: `http://127.0.0.1:${httpPort}`,
    pollIntervalMs: 50,
    ...(collectorUrl === undefined ? {} : { collectorUrl }),
  });
}

describe("endToEnd() through the real Fluent Bit", () => {
  it("sees Fluent Bit pass the probe on, and the collector confirm it", async () => {
    const frames = downstream?.frames.length ?? 0;
    // The downstream receiver plays the collector's forward input: it reports what Fluent Bit forwarded.
    void downstream?.waitForFrames(frames + 1, 5000).then(
      (all) => {
        for (const frame of all.slice(frames))
          for (const [, record] of frame.entries) {
            const id = record["emp.health.probe_id"];
            if (typeof id === "string") collector?.see(id, "forward");
          }
      },
      () => undefined,
    );
    const report = await tests("good.probe", 5000, collector?.url).endToEnd();
    expect(report.hops.map((h) => [h.hop, h.ok, h.acceptedOnly])).toEqual([
      ["app->fluentd (forward)", true, false],
      ["fluent-bit", true, false],
      ["fluentd (forward)->collector", true, false],
    ]);
    expect(report.ok).toBe(true);
  });

  it("says Fluent Bit took the probe but did not pass it on when its output cannot deliver", async () => {
    const report = await tests("stuck.probe", 2000).endToEnd();
    expect(report.ok).toBe(false);
    expect(report.hops[0]?.ok).toBe(true);
    expect(report.hops[0]?.acceptedOnly).toBe(true);
    const hop = report.hops.find((h) => h.hop === "fluent-bit");
    expect(hop?.ok).toBe(false);
    expect(hop?.error).toMatch(
      /^Fluent Bit received the probe but did not pass it on within 2000 ms \(since the probe its outputs had \d+ errors, \d+ retries, \d+ failed retries/,
    );
    expect(hop?.remediation).toBe(
      "Check the [OUTPUT] host, port and credentials in Fluent Bit's configuration and Fluent Bit's log: its outputs cannot deliver.",
    );
  });
});
