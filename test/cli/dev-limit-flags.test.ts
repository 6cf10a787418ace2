// `emp-telemetry dev` (built) takes the collector's limits as flags: they show in the status API's
// `limits` and take effect; bad values are all named at once (exit 2).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { builtCli, runBuiltCli } from "../helpers/built-cli.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { repoRoot } from "../helpers/daemons.js";

const cleanups = cleanupsAfterEach();
const ports = ["--forward-port", "0", "--http-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--dash0-port", "0", "--status-port", "0"];

describe("emp-telemetry dev's limit flags", () => {
  it("sets every collector limit, shown in the status and in force", async () => {
    const flags = {
      "--max-body-bytes": 65536,
      "--max-records-per-request": 5,
      "--max-records-per-second": 50,
      "--max-items-per-request": 5000,
      "--recent-bytes": 1048576,
      "--forward-idle-timeout-ms": 1500,
      "--forward-max-connections": 7,
      "--forward-max-pending-bytes": 2097152,
    };
    const dev = spawn(process.execPath, [builtCli, "dev", "--json", "--quiet", ...ports, ...Object.entries(flags).flat().map(String)], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "" },
    });
    cleanups.push(async () => {
      if (dev.exitCode === null) {
        dev.kill("SIGTERM");
        await once(dev, "exit");
      }
    });
    const [first] = (await once(createInterface({ input: dev.stdout }), "line")) as [string];
    const status = JSON.parse(first) as { limits: Record<string, number>; ports: { http: number } };
    expect(status.limits).toEqual({
      maxBodyBytes: 65536,
      maxRecordsPerRequest: 5,
      maxRecordsPerSecond: 50,
      maxItemsPerRequest: 5000,
      recentPerService: 50,
      recentBytes: 1048576,
      forwardIdleTimeoutMs: 1500,
      forwardMaxConnections: 7,
      forwardMaxPendingBytes: 2097152,
    });
    const post = async (records: number) => {
      const body = JSON.stringify(Array.from({ length: records }, () => ({ message: "m" })));
      const res = await fetch(`http://127.0.0.1:${status.ports.http}/t`, { method: "POST", body, headers: { "content-type": "application/json" } });
      return res.status;
    };
    expect([await post(5), await post(6)]).toEqual([200, 413]);
  }, 30_000);

  it("names every bad limit at once and exits 2", async () => {
    const run = await runBuiltCli(["dev", ...ports, "--max-body-bytes", "12k", "--max-records-per-request", "0", "--max-items-per-request", "5"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-body-bytes "12k" is not a whole number');
    expect(run.stderr).toContain("maxRecordsPerRequest=0");
    expect(run.stderr).toContain("maxItemsPerRequest=5");
  });
});
