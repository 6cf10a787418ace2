/**
 * No report, and no printed form of the pipeline tests, ever shows a secret: the Fluentd shared key,
 * the Dash0 token, or an OTLP header value, even when a receiver echoes them back in its answer.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createPipelineTests } from "../../runtime/diagnostics/pipeline-tests.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { diagnosticsConfig } from "../helpers/diagnostics-config.js";
import { startFakeCollector } from "../helpers/fake-collector.js";
import { startForwardReceiver } from "../helpers/forward-receiver.js";
import { startOtlpReceiver } from "../helpers/otlp-receiver.js";

const cleanups = cleanupsAfterEach();
const sharedKey = "fluentd-key-SECRET-4e1b";
const dash0Token = "dash0-token-SECRET-77aa";
const otlpToken = "otlp-token-SECRET-c0de";
const secrets = [sharedKey, dash0Token, otlpToken];

/** Every printed form a report or object can take. */
function printedForms(value: unknown): string[] {
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return [json, inspect(value, { depth: Infinity, showHidden: true }), String(value)];
}

function expectNoSecret(value: unknown): void {
  for (const text of printedForms(value)) for (const secret of secrets) expect(text).not.toContain(secret);
}

describe("secrets in reports", () => {
  it("never appear in any report, even when receivers echo them back", async () => {
    // Receivers that refuse everything and quote the credentials they got.
    const echo = await startOtlpReceiver((request) => ({
      status: 401,
      body: `bad credentials: ${String(request.headers.authorization)} ${String(request.headers["dash0-dataset"])}`,
    }));
    const forward = await startForwardReceiver({ sharedKey: "another-key" });
    const collector = await startFakeCollector();
    cleanups.push(
      () => echo.close(),
      () => forward.close(),
      () => collector.close(),
    );
    const config = diagnosticsConfig({
      fluentd: { port: forward.port, sharedKey },
      otlp: { endpoint: echo.url(), headers: { Authorization: `Bearer ${otlpToken}` }, logs: true },
      dash0: { endpoint: echo.url("/dash0"), apiKey: dash0Token, dataset: "prod" },
    });
    const tests = createPipelineTests(config, { timeoutMs: 1500, collectorUrl: collector.url, fluentdMonitorUrl: echo.url("/monitor") });

    const periodic: unknown[] = [];
    const checks = tests.startPeriodicChecks({ intervalMs: 60_000, onReport: (r) => periodic.push(r) });
    const reports: unknown[] = [await tests.fluentd(), await tests.otel(), await tests.dash0(), await tests.endToEnd(), await tests.connectivity()];
    await checks.stop();
    expect(periodic).toHaveLength(1);
    reports.push(...periodic);

    const dash0 = reports[2] as { hop?: { error: string } };
    expect(dash0.hop?.error).toBe('Dash0 rejected the token (HTTP 401 Unauthorized). It answered: "bad credentials: Bearer [redacted] prod".');
    const otel = reports[1] as { hop?: { error: string } };
    expect(otel.hop?.error).toContain("[redacted]"); // the echoed header, scrubbed
    for (const report of reports) expectNoSecret(report);
    expectNoSecret(tests);
    expectNoSecret(tests.options);
    expectNoSecret(checks);
    expect(echo.requests.some((r) => r.headers.authorization === `Bearer ${dash0Token}`)).toBe(true); // it was sent, just never shown
  });
});
