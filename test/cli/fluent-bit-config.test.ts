// `emp-telemetry fluent-bit-config`: files in, target from FLUENTD_*, accepted by the real Fluent Bit 4.2.8.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliExitCodes } from "../../runtime/cli/cli-command.js";
import { defaultFileTag, defaultFluentBitStateDir, fluentBitConfigCommand } from "../../runtime/cli/commands/fluent-bit-config.js";
import { cliTestSecrets, cliTestSecretValues, runCommandInProcess } from "../helpers/cli-io.js";
import { repoRoot, tempDir, toolsDir } from "../helpers/daemons.js";

const temp = tempDir("emp-cli-fluent-bit-");
afterAll(() => temp.remove());

const run = (argv: readonly string[], env: Record<string, string> = {}): ReturnType<typeof runCommandInProcess> =>
  runCommandInProcess(argv, env, fluentBitConfigCommand);

/** `fluent-bit --dry-run -c file`, with the shared key in its environment. */
function dryRun(configPath: string): { status: number | null; output: string } {
  const r = spawnSync(path.join(toolsDir, "fluent-bit/run"), ["--dry-run", "-c", configPath], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 20000,
    env: { ...process.env, FLUENTD_SHARED_KEY: cliTestSecrets.FLUENTD_SHARED_KEY },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("emp-telemetry fluent-bit-config", () => {
  it("renders a tail input per file and an acked forward output to the FLUENTD_* target", async () => {
    const r = await run(["/workspace/logs/*.log", "/workspace/logs/worker.log"], { FLUENTD_HOST: "fluentd.internal", FLUENTD_PORT: "24225" });
    expect(r.code).toBe(cliExitCodes.ok);
    expect(r.stderr).toBe("");
    expect(r.stdout.match(/- name: tail/g)).toHaveLength(2);
    expect(r.stdout).toContain("path: '/workspace/logs/*.log'");
    expect(r.stdout).toContain("tag: emp.file.worker.log");
    expect(r.stdout).toContain("host: fluentd.internal");
    expect(r.stdout).toContain("port: 24225");
    expect(r.stdout).toContain("require_ack_response: true");
    expect(r.stdout).toContain(`storage.path: ${defaultFluentBitStateDir}/storage`);
  });

  it("takes the tag, the state directory and the classic format from flags", async () => {
    const r = await run(["--format", "classic", "--tag", "app.worker", "--state-dir", "/var/lib/fb", "/logs/a.log"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[INPUT\]$/m);
    expect(r.stdout).toMatch(/^ +tag +app\.worker$/m);
    expect(r.stdout).toMatch(/^ +parsers_file +\/var\/lib\/fb\/emp-parsers\.conf$/m);
    expect(r.stderr).toContain("--output FILE writes both files");
  });

  it("puts the state under LOG_DIR when it is set", async () => {
    const r = await run(["/logs/a.log"], { LOG_DIR: "/srv/logs" });
    expect(r.stdout).toContain("storage.path: /srv/logs/fluent-bit/storage");
  });

  it("renders http outputs per tag for FLUENTD_PROTOCOL=http", async () => {
    const r = await run(["/logs/a.log"], { FLUENTD_PROTOCOL: "http", FLUENTD_HOST: "aggregator" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("name: http");
    expect(r.stdout).toContain("port: 8888");
    expect(r.stdout).not.toContain("name: forward");
  });

  it("needs no service identity and ignores unrelated variables, even invalid ones", async () => {
    const r = await run(["/logs/a.log"], { SERVICE_TYPE: "not-a-type", MACHINE_ID: "bad id!", DASH0_ENDPOINT: "not a url" });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("resolves relative paths against the working directory", async () => {
    const r = await run(["logs/a.log"]);
    expect(r.stdout).toContain(`path: ${path.resolve("logs/a.log")}`);
  });

  it("names each bad FLUENTD_* value and exits 2, the shared key redacted", async () => {
    const r = await run(["/logs/a.log"], { FLUENTD_PORT: "http", FLUENTD_PROTOCOL: "udp", FLUENTD_SHARED_KEY: "bad key with spaces" });
    expect(r.code).toBe(cliExitCodes.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("FLUENTD_PORT");
    expect(r.stderr).toContain("FLUENTD_PROTOCOL");
    expect(r.stderr).not.toContain("bad key with spaces");
  });

  it("warns about a misspelled variable on stderr", async () => {
    const r = await run(["/logs/a.log"], { FLUENTD_HOTS: "x" });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^emp-telemetry fluent-bit-config: warning: .*FLUENTD_HOTS.*FLUENTD_HOST/m);
  });

  it("exits 2 without files, with a bad --format, a bad --tag or a missing flag value", async () => {
    for (const argv of [[], ["--format", "toml", "/a.log"], ["--tag", "bad tag", "/a.log"], ["/a.log", "--tag"]]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(cliExitCodes.usage);
      expect(r.stdout).toBe("");
    }
  });

  it("derives default tags that Fluent Bit accepts", () => {
    expect(defaultFileTag("/a/worker.log")).toBe("emp.file.worker.log");
    expect(defaultFileTag("/workspace/logs/*.log")).toBe("emp.file.logs");
    expect(defaultFileTag("/var/log/app-*.log")).toBe("emp.file.app.log");
    expect(defaultFileTag("/x/logs/*")).toBe("emp.file.logs");
    expect(defaultFileTag("/x/*/job-?.ndjson")).toBe("emp.file.job.ndjson");
    expect(defaultFileTag("/*.log")).toBe("emp.file.files");
    expect(defaultFileTag("/a/.hidden..log")).toBe("emp.file.hidden.log");
    expect(defaultFileTag("/a/my file (1).log")).toBe("emp.file.my_file__1_.log");
  });

  it("writes only a ${FLUENTD_SHARED_KEY} reference, never the key", async () => {
    for (const format of ["yaml", "classic"]) {
      const r = await run(["--format", format, "/logs/a.log"], { ...cliTestSecrets });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("${FLUENTD_SHARED_KEY}");
      for (const secret of cliTestSecretValues) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
    }
  });

  it("passes the real Fluent Bit's --dry-run (yaml, printed)", async () => {
    const dir = path.join(temp.dir, "yaml");
    const r = await run(["--state-dir", path.join(dir, "state"), path.join(dir, "logs/*.log"), path.join(dir, "w.log")], {
      ...cliTestSecrets,
      FLUENTD_HOST: "127.0.0.1",
    });
    expect(r.code).toBe(0);
    const file = path.join(temp.dir, "fluent-bit.yaml");
    writeFileSync(file, r.stdout);
    const result = dryRun(file);
    expect(result.output).toContain("configuration test is successful");
    expect(result.status).toBe(0);
  });

  it("passes the real Fluent Bit's --dry-run (classic, written with --output with its parsers file)", async () => {
    const dir = path.join(temp.dir, "classic");
    const file = path.join(dir, "fluent-bit.conf");
    const r = await run(["--format", "classic", "--output", file, "--state-dir", path.join(dir, "state"), path.join(dir, "logs/*.log")], {
      ...cliTestSecrets,
      FLUENTD_PROTOCOL: "http",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${file}, ${path.join(dir, "state", "emp-parsers.conf")}`);
    expect(readFileSync(path.join(dir, "state", "emp-parsers.conf"), "utf8")).toContain("emp_ndjson");
    const result = dryRun(file);
    expect(result.output).toContain("configuration test is successful");
    expect(result.status).toBe(0);
  });
});
