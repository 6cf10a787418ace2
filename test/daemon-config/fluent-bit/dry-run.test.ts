// The rendered configs pass the real Fluent Bit 4.2.8's `--dry-run` in both formats.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Secret } from "../../../runtime/config/secret.js";
import { writeFluentBitConfig } from "../../../runtime/daemon-config/fluent-bit/write-config.js";
import type { FluentBitConfigFormat, FluentBitConfigInput } from "../../../runtime/daemon-config/fluent-bit/fluent-bit-config-input.js";
import { repoRoot, tempDir, toolsDir } from "../../helpers/daemons.js";

const temp = tempDir("fluent-bit-dry-run-");
afterAll(() => temp.remove());

/** `fluent-bit --dry-run -c file`: exit status and output. */
function dryRun(configPath: string): { status: number | null; output: string } {
  const r = spawnSync(path.join(toolsDir, "fluent-bit/run"), ["--dry-run", "-c", configPath], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 20000,
    env: { ...process.env, FLUENTD_SHARED_KEY: "dry-run-key" },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function input(name: string, overrides: Partial<FluentBitConfigInput> = {}): FluentBitConfigInput {
  return {
    files: [
      { path: path.join(temp.dir, name, "logs", "*.log"), tag: "app.api" },
      { path: path.join(temp.dir, name, `dir with spaces it's "q"`, "w.log"), tag: "app.worker" },
    ],
    stateDir: path.join(temp.dir, name, "state"),
    target: { protocol: "forward", host: "127.0.0.1", port: 24224, sharedKey: new Secret("dry-run-key"), tls: { verify: false } },
    ...overrides,
  };
}

async function written(name: string, format: FluentBitConfigFormat, overrides: Partial<FluentBitConfigInput> = {}): Promise<string> {
  const configPath = path.join(temp.dir, name, format === "yaml" ? "fluent-bit.yaml" : "fluent-bit.conf");
  expect((await writeFluentBitConfig({ configPath, input: input(name, overrides), format })).status).toBe("ok");
  return configPath;
}

describe("fluent-bit --dry-run on the rendered config", () => {
  for (const format of ["yaml", "classic"] as const) {
    it(`accepts the ${format} forward config`, async () => {
      const r = dryRun(await written(`fwd-${format}`, format));
      expect(r.output).toContain("configuration test is successful");
      expect(r.status).toBe(0);
    });

    it(`accepts the ${format} http config`, async () => {
      const r = dryRun(await written(`http-${format}`, format, { target: { protocol: "http", host: "127.0.0.1", port: 8888 } }));
      expect(r.output).toContain("configuration test is successful");
      expect(r.status).toBe(0);
    });

    it(`accepts the ${format} config with no files yet`, async () => {
      const r = dryRun(await written(`empty-${format}`, format, { files: [] }));
      expect(r.output).toContain("configuration test is successful");
      expect(r.status).toBe(0);
    });
  }

  it("accepts the yaml config of a path with a control character (double-quoted: single quotes cannot hold it)", async () => {
    const files = [{ path: path.join(temp.dir, "ctl", "a\u0001b", "*.log"), tag: "app.api" }];
    const r = dryRun(await written("ctl-yaml", "yaml", { files }));
    expect(r.output).toContain("configuration test is successful");
    expect(r.status).toBe(0);
  });

  it("fails on a broken file, so a pass means something", () => {
    const broken = path.join(temp.dir, "broken.yaml");
    writeFileSync(broken, "service:\n  flush: 1\n  bogus: [\n");
    const r = dryRun(broken);
    expect(r.output).not.toContain("configuration test is successful");
    expect(r.status).not.toBe(0);
  });
});
