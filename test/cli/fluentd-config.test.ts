// `emp-telemetry fluentd-config`: checked by the real Fluentd 1.18 (--dry-run, and a run against a
// Dash0 stand-in: Bearer token and dataset sent, 503 retried, 401 kept in the secondary file).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStandardLogEntry, LogLevel, ServiceType } from "../../generated/index.js";
import { cliExitCodes } from "../../runtime/cli/cli-command.js";
import { fluentdConfigCommand } from "../../runtime/cli/commands/fluentd-config.js";
import { fluentdLiteral } from "../../runtime/daemon-config/fluentd/render-fluentd-config.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { cliTestSecrets, cliTestSecretValues, runCommandInProcess } from "../helpers/cli-io.js";
import { freePorts, repoRoot, tempDir, toolsDir } from "../helpers/daemons.js";
import { startFakeDash0Logs, type FakeDash0Logs } from "../helpers/fake-dash0-logs.js";
import { until } from "../helpers/until.js";

const temp = tempDir("emp-cli-fluentd-");
const fluentdRun = path.join(toolsDir, "fluentd/run");
const fluentdEnv = {
  FLUENTD_SHARED_KEY: cliTestSecrets.FLUENTD_SHARED_KEY,
  DASH0_API_KEY: cliTestSecrets.DASH0_API_KEY,
  DASH0_ENDPOINT: "https://ingress.example.dash0.com",
};

async function render(argv: readonly string[] = [], env: Record<string, string> = {}): Promise<string> {
  const r = await runCommandInProcess(argv, env, fluentdConfigCommand);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(cliExitCodes.ok);
  return r.stdout;
}

function writeConfig(name: string, text: string): string {
  const file = path.join(temp.dir, name);
  writeFileSync(file, text);
  return file;
}

/** `fluentd --dry-run -c file` with `env` (only PATH/HOME from ours, so missing variables are missing). */
function dryRun(file: string, env: Record<string, string>): { status: number | null; output: string } {
  const r = spawnSync(fluentdRun, ["--dry-run", "-c", file], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 25000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

afterAll(() => temp.remove());

describe("emp-telemetry fluentd-config", () => {
  it("has a forward input with the shared key read from FLUENTD_SHARED_KEY", async () => {
    const text = await render();
    const forwardSource = [
      "<source>",
      "  @type forward",
      "  @id in_forward",
      "  bind '0.0.0.0'",
      "  port 24224",
      "  <security>",
      '    self_hostname "#{Socket.gethostname}"',
      `    shared_key "#{ENV.fetch('FLUENTD_SHARED_KEY')}"`,
      "  </security>",
      "</source>",
    ].join("\n");
    expect(text).toContain(forwardSource);
  });

  it("has the seed's http input on 8888 with body_size_limit 32m and monitor_agent on 24220", async () => {
    const text = await render();
    expect(text).toMatch(/@type http\n {2}@id in_http\n {2}bind '0\.0\.0\.0'\n {2}port 8888\n {2}body_size_limit 32m\n/);
    expect(text).toMatch(/@type monitor_agent\n {2}@id monitor_agent\n {2}bind '0\.0\.0\.0'\n {2}port 24220\n/);
  });

  it("posts to Dash0 with a Bearer token from DASH0_API_KEY and the dataset", async () => {
    const text = await render(["--dataset", "emp-prod"]);
    expect(text).toContain(`endpoint "#{ENV.fetch('DASH0_ENDPOINT')}/v1/logs"`);
    expect(text).toContain(`headers "{\\"Authorization\\":\\"Bearer #{ENV.fetch('DASH0_API_KEY')}\\",\\"Dash0-Dataset\\":\\"emp-prod\\"}"`);
  });

  it("buffers on disk under --buffer-dir with long retries and a secondary file, unlike the seed", async () => {
    const text = await render(["--buffer-dir", "/data/fluentd"]);
    expect(text).toMatch(/<buffer>\n {4}@type file\n {4}path '\/data\/fluentd\/dash0'\n/);
    expect(text).toContain("retry_timeout 72h");
    expect(text).toMatch(/<secondary>\n {4}@type secondary_file\n {4}directory '\/data\/fluentd\/failed'\n/);
    expect(text).not.toMatch(/@type memory|retry_max_times/);
    expect(text).toContain("suppress_config_dump true");
  });

  it("never writes a secret from its environment", async () => {
    const text = await render([], { ...cliTestSecrets, ...fluentdEnv });
    for (const secret of cliTestSecretValues) expect(text).not.toContain(secret);
  });

  it("exits 2 naming each bad option", async () => {
    const r = await runCommandInProcess(
      ["--forward-port", "x", "--buffer-dir", "/a/$b", "--dash0-endpoint", "https://e.example/#{`id`}", "--dataset", "a'b", "--flush-interval", "0"],
      {},
      fluentdConfigCommand,
    );
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stdout).toBe("");
    for (const flag of ["--forward-port", "--buffer-dir", "--dash0-endpoint", "--dataset", "--flush-interval"]) expect(r.stderr).toContain(flag);
  });

  it("exits 2 when two inputs would share a port", async () => {
    const r = await runCommandInProcess(["--http-port", "24224"], {}, fluentdConfigCommand);
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stderr).toContain("three different ports");
  });

  it("writes literals so that Fluentd evaluates nothing in them", () => {
    expect(fluentdLiteral(`/a/#{x}/it's\\`)).toBe(`'/a/#{x}/it\\'s\\\\'`);
  });

  it("passes the real Fluentd's --dry-run", async () => {
    const file = writeConfig("dry.conf", await render(["--buffer-dir", path.join(temp.dir, "dry-buffer")]));
    const r = dryRun(file, fluentdEnv);
    expect(r.output).toContain("finished dry run mode");
    expect(r.status).toBe(0);
  });

  it("makes Fluentd refuse to start without FLUENTD_SHARED_KEY, rather than accept anyone", async () => {
    const file = writeConfig("no-key.conf", await render(["--buffer-dir", path.join(temp.dir, "no-key-buffer")]));
    const r = dryRun(file, { DASH0_API_KEY: fluentdEnv.DASH0_API_KEY, DASH0_ENDPOINT: fluentdEnv.DASH0_ENDPOINT });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('key not found: "FLUENTD_SHARED_KEY"');
    expect(r.output).not.toContain(fluentdEnv.DASH0_API_KEY);
  });

  it("fails the dry-run of a broken config, so a pass means something", () => {
    const r = dryRun(writeConfig("broken.conf", "<match **>\n  @type http\n</match>\n"), fluentdEnv);
    expect(r.status).not.toBe(0);
    expect(r.output).not.toContain("finished dry run mode");
  });
});

describe("the rendered Fluentd config running against a Dash0 stand-in", () => {
  let dash0: FakeDash0Logs;
  let fluentd: ChildProcess | undefined;
  let ports: number[] = [];
  const dir = path.join(temp.dir, "live");
  const logPath = path.join(temp.dir, "fluentd-live.log");
  const bufferDir = path.join(dir, "buffer");
  const log = (): string => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");

  const httpPost = async (record: Record<string, unknown>): Promise<number> => {
    const res = await fetch(`http://127.0.0.1:${String(ports[1])}/app.cli`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(record),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const delivered = (id: string): number => dash0.requests.filter((r) => r.records.some((rec) => rec.id === id)).length;

  beforeAll(async () => {
    // 503 once for "flaky-*", 401 for "reject-*", else 200.
    dash0 = await startFakeDash0Logs((records, seenBefore) => {
      const id = String(records[0]?.id ?? "");
      if (id.startsWith("reject-")) return 401;
      if (id.startsWith("flaky-") && seenBefore === 0) return 503;
      return 200;
    });
    ports = await freePorts(3);
    const [forwardPort, httpPort, monitorPort] = ports.map(String) as [string, string, string];
    const config = writeConfig(
      "live.conf",
      await render([
        "--bind",
        "127.0.0.1",
        "--forward-port",
        forwardPort,
        "--http-port",
        httpPort,
        "--monitor-port",
        monitorPort,
        "--buffer-dir",
        bufferDir,
        "--dash0-endpoint",
        dash0.url,
        "--dataset",
        "emp-test",
      ]),
    );
    const fd = openSync(logPath, "a");
    fluentd = spawn(fluentdRun, ["-c", config], {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", fd, fd],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        FLUENTD_SHARED_KEY: fluentdEnv.FLUENTD_SHARED_KEY,
        DASH0_API_KEY: fluentdEnv.DASH0_API_KEY,
      },
    });
    closeSync(fd);
    const deadline = Date.now() + 40000;
    for (;;) {
      if (fluentd.exitCode !== null) throw new Error(`fluentd exited:\n${log()}`);
      const up = await fetch(`http://127.0.0.1:${monitorPort}/api/plugins.json`).then(
        (r) => r.ok,
        () => false,
      );
      if (up && log().includes("fluentd worker is now running")) break;
      if (Date.now() > deadline) throw new Error(`fluentd did not start:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60000);

  afterAll(async () => {
    if (fluentd?.pid !== undefined && fluentd.exitCode === null) {
      const exited = once(fluentd, "exit");
      process.kill(-fluentd.pid, "SIGTERM");
      const timer = setTimeout(() => fluentd?.pid !== undefined && process.kill(-fluentd.pid, "SIGKILL"), 8000);
      await exited;
      clearTimeout(timer);
    }
    await dash0?.close();
  }, 20000);

  it("delivers an in_http record with the Bearer token, the dataset and gzip", async () => {
    expect(await httpPost({ id: "ok-1", message: "hello" })).toBe(200);
    await until(() => delivered("ok-1") === 1, 15000);
    const request = dash0.requests.find((r) => r.records.some((rec) => rec.id === "ok-1"));
    expect(request?.path).toBe("/v1/logs");
    expect(request?.headers.authorization).toBe(`Bearer ${fluentdEnv.DASH0_API_KEY}`);
    expect(request?.headers["dash0-dataset"]).toBe("emp-test");
    expect(request?.headers["content-encoding"]).toBe("gzip");
    expect(request?.records.find((rec) => rec.id === "ok-1")).toMatchObject({ message: "hello" });
  });

  it("accepts a forward client with the shared key from the environment, and refuses a wrong key", async () => {
    const entry = buildStandardLogEntry({
      timeUnixNano: 1_700_000_000_000_000_000n,
      level: LogLevel.INFO,
      message: "via forward",
      service: { name: "api-server", type: ServiceType.API, environment: "test" },
    });
    const right = createForwardTransport({ host: "127.0.0.1", port: ports[0], sharedKey: fluentdEnv.FLUENTD_SHARED_KEY });
    const wrong = createForwardTransport({ host: "127.0.0.1", port: ports[0], sharedKey: "not-the-key" });
    try {
      expect(await right.send(createFluentLogEncoder("app.forward")([entry]))).toEqual({ status: "ok" });
      expect((await wrong.send(createFluentLogEncoder("app.forward")([entry]))).status).toBe("failed");
    } finally {
      await right.close();
      await wrong.close();
    }
    await until(() => dash0.requests.some((r) => r.records.some((rec) => rec.message === "via forward")), 15000);
  });

  it("retries a 503 until Dash0 takes the chunk", async () => {
    expect(await httpPost({ id: "flaky-1", message: "retry me" })).toBe(200);
    await until(() => delivered("flaky-1") === 2, 20000);
    expect(dash0.requests.filter((r) => r.records.some((rec) => rec.id === "flaky-1")).map((r) => r.status)).toEqual([503, 200]);
  });

  it("keeps a chunk Dash0 refuses (401) in the secondary file instead of dropping it", async () => {
    expect(await httpPost({ id: "reject-1", message: "refused" })).toBe(200);
    const failedDir = path.join(bufferDir, "failed");
    const failedText = (): string =>
      existsSync(failedDir)
        ? readdirSync(failedDir)
            .map((f) => readFileSync(path.join(failedDir, f), "utf8"))
            .join("")
        : "";
    await until(() => failedText().includes("reject-1"), 20000);
    expect(delivered("reject-1")).toBe(1);
  });

  it("never prints the secrets in Fluentd's log", () => {
    const text = log();
    expect(text).toContain("fluentd worker is now running");
    for (const secret of cliTestSecretValues) expect(text).not.toContain(secret);
  });
});
