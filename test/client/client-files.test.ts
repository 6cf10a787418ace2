// log.addFile: entries appended as NDJSON, and a Fluent Bit configuration that tails them.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { type Harness, startHarness } from "../helpers/client-harness.js";
import { revokedProxy, throwingProxy } from "../helpers/hostile-values.js";

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "emp-files-"));
  dirs.push(d);
  return d;
}

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("log.addFile", () => {
  it("appends every entry as one contract record per line, besides the other sinks", async () => {
    const dir = tempDir();
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    const file = join(dir, "logs", "api.log");
    h.client.log.addFile(file, { tag: "app.api" });
    h.client.log.info("Server started", { port: 3001 });
    h.client.log.error("failed", new Error("boom"));
    await h.client.flush(5000);
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.message, l.level])).toEqual([
      ["Server started", "info"],
      ["failed", "error"],
    ]);
    expect(lines[0]).toMatchObject({ port: 3001, "service.name": "api-server", "emp.contract.version": c.CONTRACT_VERSION });
    expect(lines[0]!.timestamp).toMatch(/\.\d{9}Z$/);
    expect(await h.fluentRecords()).toHaveLength(2);
  });

  it("registers a tail input per file in the Fluent Bit configuration, the shared key only as a reference", async () => {
    const dir = tempDir();
    h = await startHarness({
      serviceName: "gpu-1",
      serviceType: "machine",
      machineId: "m-1",
      logDir: dir,
      logFiles: ["/workspace/logs/*.log"],
      fluentd: { host: "127.0.0.1", port: 24224, sharedKey: "very-secret-key" },
    });
    h.client.log.addFile(join(dir, "machine.log"), { tag: "app.machine", routing: "file" });
    const yaml = h.client.fluentBitConfig("yaml");
    expect(yaml).toContain("path: '/workspace/logs/*.log'");
    expect(yaml).toContain(`path: ${join(dir, "machine.log")}`);
    expect(yaml).toContain("tag: app.machine");
    const [rawInput, ownInput] = yaml.split("- name: tail").slice(1);
    expect(rawInput).not.toContain("parser:");
    expect(ownInput).toContain("parser: emp_ndjson");
    expect(yaml).toMatch(/require_ack_response: (true|on)/);
    expect(yaml).toContain("${FLUENTD_SHARED_KEY}");
    expect(yaml).not.toContain("very-secret-key");
    expect(h.client.fluentBitConfig("classic")).toMatch(/\[INPUT\]/);
  });

  it("writes the Fluent Bit configuration itself with autoFluentBitConfig", async () => {
    const dir = tempDir();
    const configPath = join(dir, "fb", "fluent-bit.yaml");
    h = await startHarness({ serviceName: "api-server", serviceType: "api", logDir: dir, autoFluentBitConfig: true, fluentBitConfigPath: configPath });
    h.client.log.addFile(join(dir, "api.log"));
    await until(() => existsSync(configPath), 5000);
    expect(readFileSync(configPath, "utf8")).toContain(join(dir, "api.log"));
  });

  it("counts a bad path instead of throwing", async () => {
    h = await startHarness({ serviceName: "api-server", serviceType: "api" });
    expect(() => h!.client.log.addFile("")).not.toThrow();
    expect(h.client.health().addFileProblems).toBe(1);
  });
});

// Issue 13 item 15: log.addFile takes anything without throwing: each bad call is counted and diagnosed.
describe("log.addFile with hostile arguments", () => {
  it("counts every bad path or option as an addFile problem, diagnoses it, and never throws", async () => {
    const lines: string[] = [];
    h = await startHarness({ serviceName: "api-server", serviceType: "api", debug: true, diagnosticsWriter: (l) => lines.push(l) });
    const dir = tempDir();
    const calls: [unknown, unknown][] = [
      [Object.create(null), undefined],
      [throwingProxy(() => Object.create(null)), undefined],
      [revokedProxy(), undefined],
      [Symbol("file"), undefined],
      [null, undefined],
      [42, undefined],
      ["", undefined],
      [join(dir, "nul\0byte.log"), undefined],
      [join(dir, "a.log"), throwingProxy(() => Object.create(null))],
      [join(dir, "b.log"), revokedProxy()],
      [join(dir, "c.log"), { tag: Object.create(null) }],
      [join(dir, "d.log"), { tag: "" }],
    ];
    for (const [path, options] of calls) expect(() => h!.client.log.addFile(path as never, options as never)).not.toThrow();
    expect(h.client.health().addFileProblems).toBe(calls.length);
    expect(lines.filter((l) => l.includes("log.addFile"))).toHaveLength(calls.length);
    expect(lines.join("")).toContain("[unprintable object]");
    // The client still works, and a good file added afterwards gets the entries.
    const good = join(dir, "good.log");
    h.client.log.addFile(good, { tag: "app.good" });
    h.client.log.info("still here");
    await h.client.flush(5000);
    expect(readFileSync(good, "utf8")).toContain("still here");
    expect(h.client.health().addFileProblems).toBe(calls.length);
  });
});
