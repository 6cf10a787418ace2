/**
 * Issue 15 item 4 on the real daemons: a client logging to Fluentd 1.18 directly (forward, shared
 * key) and to its own NDJSON file, with Fluent Bit 4.2.8 running the client's generated configuration
 * into the same Fluentd. Each routing delivers every entry the promised number of times: `direct` and
 * `file` once, `both` twice with the same `service.instance.id` + `timestamp` (the dedupe key).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import type { LogFileRouting } from "../../runtime/client/add-file-options.js";
import { freePorts } from "../helpers/daemons.js";
import { pendingChunkFiles, seqCounts, startFluentBit, fluentdFixture, waitForHealth } from "../helpers/fluent-bit-pipeline.js";

const entries = 20;
const fx = fluentdFixture("dropin-routing-");
const { sharedKey, running } = fx;

/** Logs `entries` entries through a client with one file of `routing`, runs Fluent Bit on its configuration, returns what Fluentd wrote of them. */
async function deliver(routing: LogFileRouting, expected: number) {
  const dir = path.join(fx.dir, routing);
  mkdirSync(dir, { recursive: true });
  const run = `${routing}-${Date.now().toString(36)}`;
  const client = new EmpTelemetryClient({
    env: {},
    handleExitSignals: false,
    registerGlobal: false,
    serviceName: `routing-${routing}`,
    serviceType: "api",
    environment: "test",
    fluentdTag: `app.client-${routing}`, // the test Fluentd writes out only app.** tags
    logDir: dir,
    fluentd: { host: "127.0.0.1", port: fx.fluentd.forwardPort, sharedKey },
    otlp: { traces: false },
  });
  client.log.addFile(path.join(dir, "app.log"), { tag: `app.${routing}`, routing });
  for (let seq = 0; seq < entries; seq++) client.log.info(`entry ${String(seq)}`, { run, seq });
  expect((await client.flush(5000)).status).toBe("complete");
  const [httpPort] = (await freePorts(1)) as [number];
  const configPath = path.join(dir, "fluent-bit.yaml");
  writeFileSync(configPath, client.fluentBitConfig("yaml").replace(/http_port: \d+/, `http_port: ${String(httpPort)}`));
  const fluentBit = startFluentBit(configPath, { FLUENTD_SHARED_KEY: sharedKey }, path.join(dir, "fluent-bit.log"));
  running.push(fluentBit);
  await waitForHealth(fluentBit, httpPort);
  const arrived = await fx.fluentd.waitFor((all) => [...seqCounts(all, run).values()].reduce((a, b) => a + b, 0) >= expected, 30000);
  // Everything Fluent Bit read is delivered (no chunk left), then it stops: nothing more can come.
  const deadline = Date.now() + 15000;
  while (pendingChunkFiles(path.join(dir, "fluent-bit", "storage")).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await fluentBit.stop();
  await client.shutdown(2000);
  expect(fluentBit.log()).not.toMatch(/\[\s*error\]/);
  const all = fx.fluentd.records();
  return { run, counts: seqCounts(all, run), records: all.filter((r) => r.run === run), arrivedFirst: arrived.length };
}

describe("log file routing on the real Fluent Bit and Fluentd", () => {
  it("direct: every entry once, from the client; Fluent Bit tails nothing of ours", async () => {
    const { counts, records } = await deliver("direct", entries);
    expect(counts.size).toBe(entries);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(records.map((r) => r.fluentd_tag))).toEqual(new Set(["app.client-direct"]));
  }, 90000);

  it("file: every entry once, through Fluent Bit", async () => {
    const { counts, records } = await deliver("file", entries);
    expect(counts.size).toBe(entries);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(records.map((r) => r.fluentd_tag))).toEqual(new Set(["app.file"]));
  }, 90000);

  it("both: every entry twice, one per path, the copies sharing service.instance.id + timestamp", async () => {
    const { counts, records } = await deliver("both", 2 * entries);
    expect([...counts.values()]).toEqual(new Array(entries).fill(2));
    const keys = new Map<string, string[]>();
    for (const r of records) {
      const key = `${String(r["service.instance.id"])}|${String(r.timestamp)}`;
      keys.set(key, [...(keys.get(key) ?? []), r.fluentd_tag]);
    }
    expect(keys.size).toBe(entries);
    for (const tags of keys.values()) expect(tags.sort()).toEqual(["app.both", "app.client-both"]);
  }, 90000);
});
