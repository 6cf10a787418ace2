// `emp-telemetry validate` (built) on what the local collector stores: its logs.ndjson and
// spans.ndjson, written while the README's example service ran against it on every wire.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuiltCli } from "../helpers/built-cli.js";
import { startTestCollector } from "../helpers/collector-harness.js";
import { repoRoot, tempDir } from "../helpers/daemons.js";

const temp = tempDir("emp-validate-collector-");
const cleanups: Array<() => Promise<unknown>> = [];
let logs: string;
let spans: string;

beforeAll(async () => {
  const collector = await startTestCollector(cleanups, { dataDir: temp.dir });
  const p = collector.ports;
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/contract-test/readme-service.ts"], {
    cwd: repoRoot,
    stdio: "ignore",
    env: {
      ...process.env,
      SERVICE_NAME: "readme-api",
      TELEMETRY_ENV: "test",
      FLUENTD_HOST: "127.0.0.1",
      FLUENTD_PORT: String(p.forward),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${p.otlpHttp}`,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://127.0.0.1:${p.otlpHttp}/v1/logs`,
    },
  });
  const [code] = (await once(child, "exit")) as [number | null];
  expect(code).toBe(0);
  await collector.close();
  logs = path.join(temp.dir, "logs.ndjson");
  spans = path.join(temp.dir, "spans.ndjson");
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) await c();
  temp.remove();
});

describe("emp-telemetry validate on the collector's files", () => {
  it("accepts every record the collector stored, Fluentd and OTLP logs and spans", async () => {
    const lines = readFileSync(logs, "utf8").trim().split("\n");
    const sources = new Set(lines.map((l) => (JSON.parse(l) as { source: string }).source));
    expect([...sources].sort()).toEqual(["forward", "otlpHttp"]);
    const r = await runBuiltCli(["validate", logs, spans]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^✓ \d+ records valid in 2 files$/m);
    expect(r.code).toBe(0);
    const json = await runBuiltCli(["validate", "--json", logs]);
    expect((JSON.parse(json.stdout) as { records: number }).records).toBe(lines.length);
  });

  it("checks them for real: a stored record made invalid is named in words", async () => {
    const lines = readFileSync(logs, "utf8").trim().split("\n");
    const at = lines.findIndex((l) => (JSON.parse(l) as { source: string }).source === "forward");
    const stored = JSON.parse(lines[at] ?? "{}") as { record: Record<string, unknown> };
    stored.record.level = "loud";
    stored.record.message = "";
    lines[at] = JSON.stringify(stored);
    const broken = path.join(temp.dir, "broken.ndjson");
    writeFileSync(broken, `${lines.join("\n")}\n`);
    const r = await runBuiltCli(["validate", broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${broken}:${at + 1}: \`level\` is not one of the contract's values [enum.defined_only]`);
    expect(r.stdout).toContain(`${broken}:${at + 1}: \`message\` is empty [string.min_len]`);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(`✗ 1 of ${lines.length} records violate the contract (2 violations) in 1 file`);
  });
});
