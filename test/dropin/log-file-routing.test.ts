// Issue 15 item 4: log.addFile and the direct sink agree. Our own file's routing decides whether an
// entry reaches Fluentd from the client (`direct`), through the file Fluent Bit tails (`file`), or
// both (deduplicable); the generated Fluent Bit configuration follows it. Files other programs write
// (item 2: `addFile(path, name)`, globs) are only tailed, never written.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/client-harness.js";
import { until } from "../helpers/until.js";

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "emp-routing-"));
  dirs.push(d);
  return d;
}

function fileLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Fluent Bit `tail` inputs of a rendered YAML configuration: path → tag. */
function tailedPaths(yaml: string): string[] {
  return [...yaml.matchAll(/- name: tail\n\s+tag: \S+\n\s+path: '?([^'\n]+)'?/g)].map((m) => m[1]!);
}

describe("log.addFile routing", () => {
  it("direct (the default with a Fluentd sink): each entry reaches Fluentd once from the client; Fluent Bit does not tail the copy", async () => {
    const dir = tempDir();
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const file = join(dir, "api.log");
    h.client.log.addFile(file);
    h.client.log.info("once", { seq: 1 });
    const fluent = await h.fluentRecords();
    expect(fluent.filter((r) => r.message === "once")).toHaveLength(1);
    expect(fileLines(file).map((l) => l.message)).toEqual(["once"]);
    expect(tailedPaths(h.client.fluentBitConfig())).toEqual([]);
  });

  it("file: the client stops sending to Fluentd itself; Fluent Bit tails the file; the retired sink is still flushed and reported", async () => {
    const dir = tempDir();
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    h.client.log.info("before the file");
    const file = join(dir, "api.log");
    h.client.log.addFile(file, { tag: "app.api", routing: "file" });
    h.client.log.info("through the file");
    const fluent = await h.fluentRecords();
    expect(fluent.map((r) => r.message)).toEqual(["before the file"]);
    expect(fileLines(file).map((l) => l.message)).toEqual(["through the file"]);
    expect(tailedPaths(h.client.fluentBitConfig())).toEqual([file]);
    const forward = h.client.health().sinks.find((s) => s.target === "forward");
    expect(forward?.delivered).toBe(1);
  });

  it("both: each entry goes both ways, and the two copies share service.instance.id + timestamp to dedupe on", async () => {
    const dir = tempDir();
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const file = join(dir, "api.log");
    h.client.log.addFile(file, { routing: "both" });
    for (let i = 0; i < 50; i++) h.client.log.info("twice", { seq: i });
    const fluent = (await h.fluentRecords()).filter((r) => r.message === "twice");
    const lines = fileLines(file);
    const key = (r: Record<string, unknown>): string => `${String(r["service.instance.id"])}|${String(r.timestamp)}`;
    expect(new Set(fluent.map(key)).size).toBe(50);
    expect(lines.map(key)).toEqual(fluent.map(key));
    expect(tailedPaths(h.client.fluentBitConfig())).toEqual([file]);
  });

  it("only one file of ours carries entries to Fluentd: a second is a local copy, and asking otherwise is counted", async () => {
    const dir = tempDir();
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    h.client.log.addFile(join(dir, "a.log"), { routing: "file" });
    h.client.log.addFile(join(dir, "b.log"), { routing: "both" });
    expect(tailedPaths(h.client.fluentBitConfig())).toEqual([join(dir, "a.log")]);
    expect(h.client.health().addFileProblems).toBe(1);
  });

  it("defaults to file when the client writes the Fluent Bit configuration, and rewrites it for files added later", async () => {
    const dir = tempDir();
    const configPath = join(dir, "fb", "fluent-bit.yaml");
    h = await startHarness({ serviceName: "api-server", serviceType: "api", autoFluentBitConfig: true, fluentBitConfigPath: configPath });
    h.client.log.addFile(join(dir, "api.log"));
    h.client.log.info("via Fluent Bit");
    expect((await h.fluentRecords()).filter((r) => r.message === "via Fluent Bit")).toEqual([]);
    h.client.log.addFile(join(dir, "gpu-*.log"), "gpu");
    await until(() => existsSync(configPath) && readFileSync(configPath, "utf8").includes("gpu-*.log"), 5000);
    expect(tailedPaths(readFileSync(configPath, "utf8"))).toEqual([join(dir, "api.log"), join(dir, "gpu-*.log")]);
  });
});

describe("log.addFile(path, name): a file another program writes", () => {
  it("is registered under that name and never written, nor is a glob created as a file", async () => {
    const dir = tempDir();
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const combined = join(dir, "combined.log");
    writeFileSync(combined, "winston\n");
    h.client.log.addFile(combined, "combined");
    h.client.log.addFile(join(dir, "output-gpu*.log"), "comfyui gpu");
    h.client.log.info("not into their files");
    await h.client.flush(5000);
    expect(readFileSync(combined, "utf8")).toBe("winston\n");
    expect(existsSync(join(dir, "output-gpu*.log"))).toBe(false);
    const yaml = h.client.fluentBitConfig();
    expect(yaml).toMatch(/tag: combined\n\s+path: \S+combined\.log/);
    expect(yaml).toMatch(/tag: comfyui_gpu\n\s+path: '\S+output-gpu\*\.log'/);
    const raw = yaml.split("- name: tail").slice(1);
    for (const input of raw) expect(input).not.toContain("parser:");
  });

  it("counts a bad routing or stream name as a problem instead of throwing", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    expect(() => h!.client.log.addFile("/tmp/x.log", "")).not.toThrow();
    expect(() => h!.client.log.addFile("/tmp/x.log", { routing: "sideways" as never })).not.toThrow();
    expect(() => h!.client.log.addFile("/tmp/x.log", { external: "yes" as never })).not.toThrow();
    expect(h.client.health().addFileProblems).toBe(3);
  });
});

describe("log.addFile paths Fluent Bit could not tail", () => {
  it("are refused and counted at addFile, so the configuration always renders", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api", logFiles: ["/var/log/a,b/*.log"] });
    h.client.log.addFile("/var/log/${HOME}/x.log", "x");
    h.client.log.addFile("/var/log/ok.log", { tag: "bad..tag", routing: "file" });
    expect(h.client.health().addFileProblems).toBe(3);
    expect(tailedPaths(h.client.fluentBitConfig())).toEqual([]);
  });
});
