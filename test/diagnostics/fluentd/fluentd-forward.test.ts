/**
 * `telemetry.test.fluentd()` over the forward protocol against local receivers on 127.0.0.1: the
 * timed steps of a good probe, and one distinct error and remediation per failure mode.
 */
import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createPipelineTests } from "../../../runtime/diagnostics/pipeline-tests.js";
import { validateFluentdHealthReport, type ConnectivityReport } from "../../../generated/index.js";
import { startUnacceptingListener } from "../../helpers/blackhole-servers.js";
import { cleanupsAfterEach } from "../../helpers/cleanups.js";
import { freePorts } from "../../helpers/daemons.js";
import { diagnosticsConfig } from "../../helpers/diagnostics-config.js";
import { startForwardReceiver } from "../../helpers/forward-receiver.js";
import { selfSignedCertificate } from "../../helpers/self-signed.js";
import { until } from "../../helpers/until.js";

const cleanups = cleanupsAfterEach();
const sharedKey = "diag-shared-key-0451";

async function receiver(options: Parameters<typeof startForwardReceiver>[0] = {}) {
  const r = await startForwardReceiver(options);
  cleanups.push(() => r.close());
  return r;
}

function fluentdTests(port: number, key?: string, timeoutMs = 2000) {
  return createPipelineTests(diagnosticsConfig({ fluentd: { port, ...(key === undefined ? {} : { sharedKey: key }) } }), { timeoutMs });
}

describe("fluentd() over forward", () => {
  it("reports connect, handshake, send and ack steps with latencies when the key is right", async () => {
    const r = await receiver({ sharedKey });
    const report = await fluentdTests(r.port, sharedKey).fluentd();
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.hop, s.ok])).toEqual([
      ["connect", true],
      ["handshake", true],
      ["send", true],
      ["ack", true],
    ]);
    for (const step of report.steps) expect(step.latencyMs).toBeGreaterThanOrEqual(0);
    expect(validateFluentdHealthReport(report)).toEqual([]);
  });

  it("sends a probe record carrying emp.health.probe_id with a chunk and size 1", async () => {
    const r = await receiver();
    const report = await fluentdTests(r.port).fluentd();
    expect(report.steps.map((s) => s.hop)).toEqual(["connect", "send", "ack"]);
    const [frame] = await r.waitForFrames(1);
    expect(frame?.tag).toBe("emp.health.probe");
    expect(frame?.options).toMatchObject({ size: 1, chunk: expect.any(String) });
    const record = frame?.entries[0]?.[1];
    expect(record?.["emp.health.probe_id"]).toMatch(/^probe-[0-9a-f-]{36}$/);
    expect(record?.message).toBe("emp-telemetry pipeline probe");
  });

  it("explains a wrong shared key refused by a Fluentd-style PONG", async () => {
    const r = await receiver({ sharedKey });
    const report = await fluentdTests(r.port, "not-the-key").fluentd();
    expect(report.ok).toBe(false);
    const failed = report.steps.at(-1);
    expect(failed?.hop).toBe("handshake");
    expect(failed?.error).toBe(`127.0.0.1:${r.port} refused our shared key (shared_key mismatch): the handshake failed.`);
    expect(failed?.remediation).toContain("Check FLUENTD_SHARED_KEY");
  });

  it("explains a wrong shared key answered by closing the connection (Fluent Bit)", async () => {
    const r = await receiver({ sharedKey, style: "fluent-bit" });
    const failed = (await fluentdTests(r.port, "not-the-key").fluentd()).steps.at(-1);
    expect(failed?.error).toBe(`127.0.0.1:${r.port} refused our shared key (it closed the connection after our PING): the handshake failed.`);
    expect(failed?.remediation).toContain("FLUENTD_SHARED_KEY");
  });

  it("says a key is required when the receiver sends HELO and none is configured", async () => {
    const r = await receiver({ sharedKey });
    const failed = (await fluentdTests(r.port).fluentd()).steps.at(-1);
    expect(failed?.error).toBe(`127.0.0.1:${r.port} asks for the shared-key handshake (it sent HELO), but no shared key is configured.`);
    expect(failed?.remediation).toBe("Set FLUENTD_SHARED_KEY to the receiver's shared_key.");
  });

  it("says no HELO came when a key is configured but the receiver has none", async () => {
    const r = await receiver();
    const started = Date.now();
    const failed = (await fluentdTests(r.port, sharedKey, 300).fluentd()).steps.at(-1);
    expect(Date.now() - started).toBeLessThan(300 + 250);
    expect(failed?.hop).toBe("handshake");
    expect(failed?.error).toContain("sent no handshake (HELO) within 300 ms, though a shared key is configured");
    expect(failed?.remediation).toContain("Unset FLUENTD_SHARED_KEY");
  });

  it("explains a refused port naming FLUENTD_HOST and FLUENTD_PORT", async () => {
    const [port] = (await freePorts(1)) as [number];
    const report = await fluentdTests(port).fluentd();
    expect(report.ok).toBe(false);
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]?.hop).toBe("connect");
    expect(report.steps[0]?.error).toBe(`Nothing is listening on 127.0.0.1:${port} (connection refused).`);
    expect(report.steps[0]?.remediation).toBe(`Check FLUENTD_HOST and FLUENTD_PORT (now 127.0.0.1:${port}), and that Fluentd or Fluent Bit is running there.`);
  });

  it("explains a connect timeout when the SYN is dropped, within the deadline", async () => {
    const listener = await startUnacceptingListener();
    cleanups.push(() => listener.close());
    const started = Date.now();
    const report = await fluentdTests(listener.port, undefined, 400).fluentd();
    expect(Date.now() - started).toBeLessThan(400 + 250);
    expect(report.steps[0]?.hop).toBe("connect");
    expect(report.steps[0]?.error).toContain("within 400 ms while connecting: packets are being dropped");
    expect(report.steps[0]?.remediation).toContain("no firewall drops traffic");
  });

  it("recognises an HTTP server on the forward port and points at FLUENTD_PROTOCOL", async () => {
    const server = createHttpServer((_req, res) => res.end("hello"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    const failed = (await fluentdTests(port).fluentd()).steps.at(-1);
    expect(failed?.error).toBe(`127.0.0.1:${port} answered in HTTP, not the Fluentd forward protocol: an HTTP server listens there.`);
    expect(failed?.remediation).toBe(
      `Set FLUENTD_PROTOCOL=http if this is Fluentd's in_http input, or point FLUENTD_PORT at the forward input (usually 24224; now ${port}).`,
    );
  });

  it("says the listener does not speak forward when it answers something else", async () => {
    const server = createNetServer((socket) => socket.resume().end("SSH-2.0-OpenSSH_9.2\r\n"));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    const failed = (await fluentdTests(port).fluentd()).steps.at(-1);
    expect(failed?.error).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port} does not speak the Fluentd forward protocol`));
    expect(failed?.remediation).toContain("FLUENTD_PORT");
  });

  it("explains a missing ack within the deadline", async () => {
    const r = await receiver({ ack: false });
    const started = Date.now();
    const report = await fluentdTests(r.port, undefined, 300).fluentd();
    expect(Date.now() - started).toBeLessThan(300 + 250);
    const failed = report.steps.at(-1);
    expect(report.steps.map((s) => s.hop)).toEqual(["connect", "send", "ack"]);
    expect(failed?.error).toBe(`127.0.0.1:${r.port} took the probe record but sent no ack within 300 ms.`);
    expect(failed?.remediation).toContain("FLUENTD_PORT");
  });

  it("reports the sink as off when Fluentd is disabled", async () => {
    const report = await createPipelineTests(diagnosticsConfig()).fluentd();
    expect(report.ok).toBe(false);
    expect(report.steps[0]?.error).toBe("The Fluentd sink is switched off, so there is nothing to check.");
  });
});

describe("fluentd() and TLS", () => {
  it("explains a TLS client against a plain forward input by FLUENTD_TLS", async () => {
    const r = await receiver();
    const report = await createPipelineTests(diagnosticsConfig({ fluentd: { port: r.port, tls: true } }), { timeoutMs: 2000 }).fluentd();
    expect(report.steps[0]?.hop).toBe("connect");
    expect(report.steps[0]?.error).toMatch(new RegExp(`^The TLS handshake with 127\\.0\\.0\\.1:${r.port} failed \\(`));
    expect(report.steps[0]?.remediation).toBe(
      "Check FLUENTD_TLS (now on) matches the receiver: on only when its input has a <transport tls> section, with a certificate this host trusts.",
    );
  });

  it("points a plain client closed by a TLS input at FLUENTD_TLS", async () => {
    const r = await receiver({ tls: selfSignedCertificate() });
    const failed = (await fluentdTests(r.port).fluentd()).steps.at(-1);
    expect(failed?.error).toBe(`127.0.0.1:${r.port} closed the connection before acknowledging the probe record.`);
    expect(failed?.remediation).toContain("Check FLUENTD_TLS (now off; a TLS input closes plain connections)");
  });
});

describe("fluentd() cheap mode (periodic checks)", () => {
  it("still finds that a key is required although it sends nothing", async () => {
    const r = await receiver({ sharedKey });
    const reports: ConnectivityReport[] = [];
    const checks = fluentdTests(r.port).startPeriodicChecks({ intervalMs: 60_000, onReport: (report) => reports.push(report) });
    cleanups.push(() => checks.stop());
    await until(() => reports.length === 1, 3000);
    const failed = reports[0]?.fluentd?.steps.at(-1);
    expect(failed?.hop).toBe("handshake");
    expect(failed?.error).toBe(`127.0.0.1:${r.port} asks for the shared-key handshake (it sent HELO), but no shared key is configured.`);
    expect(r.frames).toHaveLength(0);
  });
});
