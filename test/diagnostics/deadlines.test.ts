/**
 * Every check resolves within its deadline, never throwing, even when every host drops packets: a
 * local server that accepts and never answers (blackhole after connect) and a listener whose accept
 * queue is full, so SYNs are dropped (blackhole at connect). 127.0.0.1 only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HopReport } from "../../generated/index.js";
import { createPipelineTests } from "../../runtime/diagnostics/pipeline-tests.js";
import type { PipelineTestOptions } from "../../runtime/diagnostics/pipeline-test-options.js";
import { startSilentServer, startUnacceptingListener, type SilentServer, type UnacceptingListener } from "../helpers/blackhole-servers.js";
import { freePorts } from "../helpers/daemons.js";
import { diagnosticsConfig, type DiagnosticsConfigOptions } from "../helpers/diagnostics-config.js";

const timeoutMs = 300;
/** Slack for closing sockets and the event loop; the backstop alone would allow 100 ms. */
const slackMs = 200;
let silent: SilentServer | undefined;
let unaccepting: UnacceptingListener | undefined;

beforeAll(async () => {
  silent = await startSilentServer();
  unaccepting = await startUnacceptingListener();
});

afterAll(async () => {
  await silent?.close();
  await unaccepting?.close();
});

type Check = "fluentd" | "otel" | "dash0" | "endToEnd" | "connectivity";

/** Every hop of any report. */
function hopsOf(report: unknown): HopReport[] {
  const out: HopReport[] = [];
  const walk = (value: unknown): void => {
    if (typeof value !== "object" || value === null) return;
    if ((value as { $typeName?: unknown }).$typeName === "emp.telemetry.v1.HopReport") out.push(value as HopReport);
    else for (const child of Object.values(value)) walk(child);
  };
  walk(report);
  return out;
}

function setup(port: number): Array<[string, Check, DiagnosticsConfigOptions, PipelineTestOptions]> {
  const url = `http://127.0.0.1:${port}`;
  const everything: DiagnosticsConfigOptions = {
    fluentd: { port, sharedKey: "deadline-shared-key" },
    otlp: { endpoint: url, logs: true },
    dash0: { endpoint: url, apiKey: "deadline-dash0-token" },
  };
  return [
    ["fluentd() forward", "fluentd", { fluentd: { port } }, {}],
    ["fluentd() forward with a shared key", "fluentd", { fluentd: { port, sharedKey: "deadline-shared-key" } }, {}],
    ["fluentd() in_http", "fluentd", { fluentd: { port, protocol: "http" } }, {}],
    ["fluentd() with monitor_agent", "fluentd", { fluentd: { port } }, { fluentdMonitorUrl: url }],
    ["otel()", "otel", { otlp: { endpoint: url } }, {}],
    ["dash0()", "dash0", { dash0: { endpoint: url, apiKey: "deadline-dash0-token" } }, {}],
    ["endToEnd() with Fluent Bit and a collector", "endToEnd", everything, { fluentBitUrl: url, collectorUrl: url }],
    ["connectivity() of everything", "connectivity", everything, { fluentdMonitorUrl: url, fluentBitUrl: url, collectorUrl: url }],
  ];
}

for (const [kind, port] of [
  ["blackholes after connect", () => silent?.port ?? 0],
  ["drops SYNs", () => unaccepting?.port ?? 0],
] as const) {
  describe(`deadlines when the host ${kind}`, () => {
    for (const [name, check, config, options] of setup(0)) {
      it(`${name} resolves within ${timeoutMs} ms, explaining every failed hop`, async () => {
        const [, , realConfig, realOptions] = setup(port()).find(([n]) => n === name) ?? [name, check, config, options];
        const tests = createPipelineTests(diagnosticsConfig(realConfig), { ...realOptions, timeoutMs });
        const started = performance.now();
        const report = await tests[check]();
        expect(performance.now() - started).toBeLessThan(timeoutMs + slackMs);
        expect(report.ok).toBe(false);
        const failed = hopsOf(report).filter((hop) => !hop.ok);
        expect(failed.length).toBeGreaterThan(0);
        for (const hop of failed) {
          expect(hop.error).not.toBe("");
          expect(hop.remediation).not.toBe("");
          expect(hop.error).not.toMatch(/unexpectedly/); // never the backstop: each step knows its own deadline
        }
      });
    }
  });
}

describe("status endpoints that cannot be reached", () => {
  it("explains an unreachable monitor_agent naming fluentdMonitorUrl", async () => {
    const [port, fluentdPort] = (await freePorts(2)) as [number, number];
    const tests = createPipelineTests(diagnosticsConfig({ fluentd: { port: fluentdPort } }), {
      timeoutMs: 1000,
      fluentdMonitorUrl: `http://127.0.0.1:${port}`,
    });
    const step = (await tests.fluentd()).steps.find((s) => s.hop === "monitor_agent");
    expect(step?.error).toBe(`Could not read Fluentd's monitor_agent at http://127.0.0.1:${port}/api/plugins.json (connect ECONNREFUSED 127.0.0.1:${port}).`);
    expect(step?.remediation).toBe(
      "Check the fluentdMonitorUrl option and that Fluentd has a <source> @type monitor_agent (the seed's deployment uses port 24220) reachable from here.",
    );
  });
});
