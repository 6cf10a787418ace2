// `emp-telemetry dev` (built) prints what it receives: each log as one readable line (the pretty
// console form), each span with its duration, the input it came by and any contract violation;
// `--quiet` prints none. No colours when stdout is not a terminal.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { builtCli } from "../helpers/built-cli.js";
import { repoRoot } from "../helpers/daemons.js";

const ports = ["--forward-port", "0", "--http-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--dash0-port", "0", "--status-port", "0"];
let dev: ChildProcess | undefined;
afterEach(async () => {
  if (dev !== undefined && dev.exitCode === null) {
    dev.kill("SIGTERM");
    await once(dev, "exit");
  }
  dev = undefined;
});

/** Starts the built `dev`; resolves with its ports (from the banner) and every stdout line so far (live array). */
async function startDev(...flags: string[]): Promise<{ lines: string[]; forward: number; otlpHttp: number; status: number }> {
  dev = spawn(process.execPath, [builtCli, "dev", ...ports, ...flags], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "" },
  });
  const lines: string[] = [];
  const rl = createInterface({ input: dev.stdout! });
  rl.on("line", (l) => lines.push(l));
  const deadline = Date.now() + 20_000;
  while (!lines.some((l) => l.startsWith("Point services at it"))) {
    if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`dev did not start: ${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = (re: RegExp): number => Number(lines.map((l) => re.exec(l)?.[1]).find((x) => x !== undefined));
  return { lines, forward: port(/^ {2}forward {2}(\d+)/), otlpHttp: port(/^ {2}OTLP\/HTTP (\d+)/), status: port(/live page http:\/\/127\.0\.0\.1:(\d+)\//) };
}

async function runService(file: string, forward: number, otlpHttp: number): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: repoRoot,
    stdio: "ignore",
    env: {
      ...process.env,
      SERVICE_NAME: "readme-api",
      TELEMETRY_ENV: "test",
      FLUENTD_HOST: "127.0.0.1",
      FLUENTD_PORT: String(forward),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpHttp}`,
    },
  });
  const [code] = (await once(child, "exit")) as [number | null];
  expect(code).toBe(0);
}

async function until(cond: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("emp-telemetry dev prints what it receives", () => {
  it("one readable line per log and span, the input it came by, violations marked", async () => {
    const d = await startDev();
    await runService("test/fixtures/contract-test/readme-service.ts", d.forward, d.otlpHttp);
    await runService("test/fixtures/contract-test/careless-service.ts", d.forward, d.otlpHttp);
    await until(
      () => d.lines.some((l) => l.includes("no service here")) && d.lines.some((l) => l.includes("SPAN ")),
      () => d.lines.join("\n"),
    );
    const text = d.lines.join("\n");
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}readme-api Server started {2}port=3001 {2}via forward$/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}readme-api connected {2}component=redis attempts=1 {2}via forward$/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}readme-api job looked up {2}emp\.job\.id=job-42 trace=[0-9a-f]{8} {2}via forward$/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} SPAN {2}readme-api GET \/jobs\/:id {2}\d+\.\d ms {2}trace=[0-9a-f]{8} {2}via otlpHttp$/m);
    expect(text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}unknown no service here .*via forward {2}✗ .*service\.name required/m);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ANSI escape is what it looks for
    expect(text).not.toMatch(/\u001b\[/);
  }, 60_000);

  it("prints no records with --quiet", async () => {
    const d = await startDev("--quiet");
    const banner = d.lines.length;
    await runService("test/fixtures/contract-test/readme-service.ts", d.forward, d.otlpHttp);
    const status = (await (await fetch(`http://127.0.0.1:${d.status}/api/status`)).json()) as { counts: { total: number } };
    expect(status.counts.total).toBeGreaterThan(10);
    expect(d.lines.length).toBe(banner);
  }, 60_000);
});
