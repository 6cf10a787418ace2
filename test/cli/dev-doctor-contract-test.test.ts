// The commands that run things: doctor, contract-test and dev.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommandInProcess } from "../helpers/cli-io.js";
import { type ForwardReceiver, startForwardReceiver } from "../helpers/forward-receiver.js";
import { type OtlpReceiver, startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { startHarness } from "../helpers/client-harness.js";
import { repoRoot } from "../helpers/run-command.js";

async function cli(argv: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string; err: string }> {
  const r = await runCommandInProcess(argv, env);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

let fluentd: ForwardReceiver;
let otlp: OtlpReceiver;
beforeAll(async () => {
  fluentd = await startForwardReceiver();
  otlp = await startOtlpReceiver();
});
afterAll(async () => {
  await fluentd.close();
  await otlp.close();
});

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  SERVICE_NAME: "api-server",
  SERVICE_TYPE: "api",
  TELEMETRY_ENV: "test",
  FLUENTD_HOST: "127.0.0.1",
  FLUENTD_PORT: String(fluentd.port),
  OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url(""),
  ...extra,
});

describe("emp-telemetry doctor", () => {
  it("prints a hop table and exits 0 when every hop passes", async () => {
    const r = await cli(["doctor"], env());
    expect(r.code).toBe(0);
    expect(r.out).toContain("pipeline: OK");
    expect(r.out).toMatch(/fluentd\s+connect\s+ok/);
  });

  it("exits 1 and says what to check when a hop fails", async () => {
    const r = await cli(["doctor", "--timeout-ms", "2000"], env({ FLUENTD_PORT: "1" }));
    expect(r.code).toBe(1);
    expect(r.out).toContain("FAILING");
    expect(r.out).toContain("Check FLUENTD_HOST and FLUENTD_PORT");
  });

  it("exits 2 naming every configuration problem", async () => {
    const r = await cli(["doctor"], { FLUENTD_PORT: "x" });
    expect(r.code).toBe(2);
    for (const name of ["SERVICE_NAME", "SERVICE_TYPE", "TELEMETRY_ENV", "FLUENTD_PORT"]) expect(r.err).toContain(name);
  });

  it("prints JSON with --json", async () => {
    const r = await cli(["doctor", "--json"], env());
    expect((JSON.parse(r.out) as { ok: boolean }).ok).toBe(true);
  });

  it("asks a running service's health service with --service", async () => {
    const h = await startHarness({ serviceName: "worker-svc", serviceType: "api" });
    const server = await h.client.serveHealth();
    try {
      const r = await cli(["doctor", "--service", server.url], {});
      expect(r.code).toBe(0);
      expect(r.out).toContain("pipeline: OK");
    } finally {
      await server.close();
      await h.close();
    }
  });
});

describe("emp-telemetry contract-test", () => {
  it("passes an example service", async () => {
    const r = await cli(["contract-test", "--", process.execPath, "--import", "tsx", "examples/contract-scenario.ts", "webhook"], process.env);
    expect(r.out).toContain("contract test: passed");
    expect(r.code).toBe(0);
  }, 60_000);

  it("fails a careless one with exit 1", async () => {
    const r = await cli(["contract-test", "--", process.execPath, "--import", "tsx", "test/fixtures/contract-test/careless-service.ts"], process.env);
    expect(r.code).toBe(1);
    expect(r.out).toContain("[unknown-key]");
  }, 60_000);

  it("needs a command after --", async () => {
    const r = await cli(["contract-test"], {});
    expect(r.code).toBe(2);
  });
});

describe("emp-telemetry dev", () => {
  it("runs the collector until SIGTERM and reports its ports", async () => {
    const ports = ["--forward-port", "0", "--http-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--dash0-port", "0", "--status-port", "0"];
    const child = spawn(process.execPath, ["--import", "tsx", "runtime/cli/main.ts", "dev", "--json", ...ports], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
    const status = JSON.parse(line) as { ports: { status: number; forward: number } };
    expect(status.ports.forward).toBeGreaterThan(0);
    const page = await fetch(`http://127.0.0.1:${status.ports.status}/api/status`);
    expect(page.status).toBe(200);
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number];
    expect(code).toBe(0);
  }, 30_000);
});
