/**
 * `telemetry.test.fluentd()` with FLUENTD_PROTOCOL=http: the probe POSTed to a scripted `in_http`
 * stand-in on 127.0.0.1, and the failure modes of that protocol.
 */
import { describe, expect, it } from "vitest";
import { createPipelineTests } from "../../../runtime/diagnostics/pipeline-tests.js";
import { cleanupsAfterEach } from "../../helpers/cleanups.js";
import { freePorts } from "../../helpers/daemons.js";
import { diagnosticsConfig } from "../../helpers/diagnostics-config.js";
import { startForwardReceiver } from "../../helpers/forward-receiver.js";
import { startScriptedHttpReceiver, type ScriptedResponse } from "../../helpers/scripted-http-receiver.js";

const cleanups = cleanupsAfterEach();

function httpTests(port: number, timeoutMs = 2000) {
  return createPipelineTests(diagnosticsConfig({ fluentd: { port, protocol: "http" } }), { timeoutMs });
}

async function inHttp(...script: ScriptedResponse[]) {
  const r = await startScriptedHttpReceiver();
  r.script(...script);
  cleanups.push(() => r.close());
  return r;
}

describe("fluentd() over in_http", () => {
  it("POSTs the probe as JSON to /<tag> and passes on 200", async () => {
    const r = await inHttp();
    const report = await httpTests(r.port).fluentd();
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.hop, s.ok, s.acceptedOnly])).toEqual([["post", true, true]]);
    const [request] = r.requests;
    expect(request?.path).toBe("/emp.health.probe");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body.toString("utf8") ?? "{}")["emp.health.probe_id"]).toMatch(/^probe-/);
  });

  it("explains an error status quoting the answer", async () => {
    const r = await inHttp({ status: 500, body: "BufferOverflowError" });
    const step = (await httpTests(r.port).fluentd()).steps[0];
    expect(step?.error).toBe(`Fluentd in_http at http://127.0.0.1:${r.port}/emp.health.probe answered HTTP 500: BufferOverflowError.`);
    expect(step?.remediation).toContain("FLUENTD_PORT must point at Fluentd's in_http input");
  });

  it("points a 404 at FLUENTD_HOST/FLUENTD_PORT and FLUENTD_PROTOCOL", async () => {
    const r = await inHttp({ status: 404 });
    const step = (await httpTests(r.port).fluentd()).steps[0];
    expect(step?.remediation).toBe(
      "Check FLUENTD_HOST and FLUENTD_PORT point at Fluentd's in_http input (something else answered), or set FLUENTD_PROTOCOL=forward for a forward input.",
    );
  });

  it("recognises a forward input on the http port", async () => {
    const forward = await startForwardReceiver();
    cleanups.push(() => forward.close());
    const step = (await httpTests(forward.port).fluentd()).steps[0];
    expect(step?.error).toBe(`127.0.0.1:${forward.port} did not answer in HTTP (it closed the connection or sent something else).`);
    expect(step?.remediation).toBe(
      `Set FLUENTD_PROTOCOL=forward if this is a forward input, or point FLUENTD_PORT at Fluentd's in_http input (usually 8888; now ${forward.port}).`,
    );
  });

  it("explains a refused port", async () => {
    const [port] = (await freePorts(1)) as [number];
    const step = (await httpTests(port).fluentd()).steps[0];
    expect(step?.error).toBe(`Nothing is listening on 127.0.0.1:${port} (connection refused).`);
  });

  it("explains no answer within the deadline", async () => {
    const r = await inHttp({ hang: true });
    const started = Date.now();
    const step = (await httpTests(r.port, 300).fluentd()).steps[0];
    expect(Date.now() - started).toBeLessThan(300 + 250);
    expect(step?.error).toBe(`No HTTP answer from 127.0.0.1:${r.port} within 300 ms.`);
    expect(step?.remediation).toContain("FLUENTD_PROTOCOL");
  });
});
