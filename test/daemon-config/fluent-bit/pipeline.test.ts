/**
 * The rendered config on the real binaries: NDJSON contract records in a log file → Fluent Bit 4.2.8
 * (generated config) → Fluentd 1.18, over forward (shared key; TLS) and over `in_http`. Every
 * record arrives once, with its fields and its time.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Secret } from "../../../runtime/config/secret.js";
import { fluentBitEnvironment } from "../../../runtime/daemon-config/fluent-bit/fluent-bit-environment.js";
import { writeFluentBitConfig } from "../../../runtime/daemon-config/fluent-bit/write-config.js";
import type { FluentBitConfigFormat, FluentBitTarget } from "../../../runtime/daemon-config/fluent-bit/fluent-bit-config-input.js";
import { freePorts } from "../../helpers/daemons.js";
import { appendRecords, logRecord, seqCounts, startFluentBit, fluentdFixture, waitForHealth, type WrittenRecord } from "../../helpers/fluent-bit-pipeline.js";

const fx = fluentdFixture("fluent-bit-pipeline-");
const { sharedKey, running } = fx;

/** Writes `count` records of a fresh run to a log file under a directory whose name needs escaping, runs Fluent Bit, waits for them at Fluentd. */
async function ship(
  name: string,
  target: FluentBitTarget,
  format: FluentBitConfigFormat,
  count: number,
  arrivedTag: string,
  write: (file: string, run: string) => void = (file, run) => appendRecords(file, run, 0, count),
): Promise<{ run: string; records: WrittenRecord[] }> {
  const dir = path.join(fx.dir, name);
  const logDir = path.join(dir, `logs with spaces it's "quoted"`);
  mkdirSync(logDir, { recursive: true });
  const run = `${name}-${Date.now().toString(36)}`;
  write(path.join(logDir, "app.log"), run);
  const [httpPort] = (await freePorts(1)) as [number];
  const configPath = path.join(dir, format === "yaml" ? "fluent-bit.yaml" : "fluent-bit.conf");
  const input = { files: [{ path: path.join(logDir, "*.log"), tag: `app.${name}` }], stateDir: path.join(dir, "state"), target, httpPort, graceSeconds: 2 };
  const written = await writeFluentBitConfig({ configPath, input, format });
  expect(written.status).toBe("ok");
  const fluentBit = startFluentBit(configPath, fluentBitEnvironment(target), path.join(dir, "fluent-bit.log"));
  running.push(fluentBit);
  await waitForHealth(fluentBit, httpPort);
  const records = await fx.fluentd.waitFor((all) => seqCounts(all, run).size >= count);
  await fluentBit.stop();
  expect(fluentBit.log()).not.toMatch(/\[\s*error\]/);
  return { run, records: records.filter((r) => r.run === run && r.fluentd_tag === arrivedTag) };
}

function expectExactlyOnce(records: readonly WrittenRecord[], run: string, count: number): void {
  const counts = seqCounts(records, run);
  expect(counts.size).toBe(count);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
}

describe("Fluent Bit config on the real Fluent Bit 4.2.8 → Fluentd 1.18", () => {
  it("ships every record once over forward with the shared key, fields and nanosecond time intact", async () => {
    const target: FluentBitTarget = { protocol: "forward", host: "127.0.0.1", port: fx.fluentd.forwardPort, sharedKey: new Secret(sharedKey) };
    const { run, records } = await ship("fwd", target, "yaml", 40, "app.fwd");
    expectExactlyOnce(records, run, 40);
    const seven = records.find((r) => r.seq === 7);
    expect(seven).toEqual({ ...logRecord(run, 7), fluentd_tag: "app.fwd", fluentd_time: logRecord(run, 7).timestamp });
    for (const r of records) expect(r.fluentd_time).toBe(r.timestamp); // EventTime kept every nanosecond
  }, 30000);

  it("ships over forward with TLS, verifying Fluentd's certificate against a CA file", async () => {
    const target: FluentBitTarget = {
      protocol: "forward",
      host: "127.0.0.1",
      port: fx.fluentd.tlsPort,
      sharedKey: new Secret(sharedKey),
      tls: { caFile: fx.fluentd.caFile },
    };
    const { run, records } = await ship("tls", target, "yaml", 10, "app.tls");
    expectExactlyOnce(records, run, 10);
    for (const r of records) expect(r.fluentd_time).toBe(r.timestamp);
  }, 30000);

  it("ships the same pipeline from the classic format (separate parsers file)", async () => {
    const target: FluentBitTarget = { protocol: "forward", host: "127.0.0.1", port: fx.fluentd.forwardPort, sharedKey: new Secret(sharedKey) };
    const { run, records } = await ship("classic", target, "classic", 10, "app.classic");
    expectExactlyOnce(records, run, 10);
    for (const r of records) expect(r.fluentd_time).toBe(r.timestamp);
  }, 30000);

  it("ships every record once to in_http, tag from the path, time to within a microsecond", async () => {
    const target: FluentBitTarget = { protocol: "http", host: "127.0.0.1", port: fx.fluentd.httpPort };
    const { run, records } = await ship("http", target, "yaml", 20, "app.http");
    expectExactlyOnce(records, run, 20);
    for (const r of records) {
      expect(r).toMatchObject({ ...logRecord(run, r.seq as number), fluentd_tag: "app.http" });
      // in_http's default rule reads Fluent Bit's `time` as a float: ~0.2 µs of rounding at 1.7e9 s.
      const ns = (iso: string): bigint => BigInt(Date.parse(`${iso.slice(0, 19)}Z`)) * 1_000_000n + BigInt(iso.slice(20, 29));
      const drift = ns(r.fluentd_time) - ns(String(r.timestamp));
      expect(drift < 1000n && drift > -1000n).toBe(true);
    }
  }, 30000);

  it("keeps every nanosecond over in_http when Fluentd parses the time from `timestamp`", async () => {
    const target: FluentBitTarget = { protocol: "http", host: "127.0.0.1", port: fx.fluentd.httpNanosPort };
    const { run, records } = await ship("httpn", target, "yaml", 10, "nanos.app.httpn");
    expectExactlyOnce(records, run, 10);
    for (const r of records) expect(r.fluentd_time).toBe(r.timestamp);
  }, 30000);

  it("ships the longest entry the contract allows (32768 three-byte runes, ~96 KiB line) whole, and the lines after it", async () => {
    const target: FluentBitTarget = { protocol: "forward", host: "127.0.0.1", port: fx.fluentd.forwardPort, sharedKey: new Secret(sharedKey) };
    const long = "€".repeat(32768);
    const { run, records } = await ship("long", target, "yaml", 3, "app.long", (file, run) => {
      appendRecords(file, run, 0, 1);
      appendFileSync(file, `${JSON.stringify({ ...logRecord(run, 1), message: long })}\n`);
      appendRecords(file, run, 2, 3);
    });
    expectExactlyOnce(records, run, 3);
    expect(records.find((r) => r.seq === 1)?.message).toBe(long);
  }, 30000);
});
