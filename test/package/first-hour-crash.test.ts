// Crashes in a script run as a service runs (the built package in a child process): the exception is
// captured as a fatal entry, and Node's own behaviour (stack printed, exit code, other listeners) is
// exactly what it is without the client; an app that handles crashes itself gets nothing captured.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ForwardReceiver, startForwardReceiver } from "../helpers/forward-receiver.js";
import { attributesOf, startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { type AppRun, refusedPort, runFixtureApp } from "../helpers/run-fixture-app.js";

/** Runs `scenario` with a log file; returns the run and the file's records. */
async function crashRun(scenario: string, env: Record<string, string> = {}): Promise<{ run: AppRun; records: Record<string, unknown>[] }> {
  const file = join(mkdtempSync(join(tmpdir(), "crash-")), "app.log");
  const run = await runFixtureApp(scenario, { FLUENTD_PORT: String(await refusedPort()), APP_LOG_FILE: file, ...env });
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // no file: nothing was written
  }
  const records = text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { run, records };
}

/** stderr without our own lines: what Node printed. */
const nodeOutput = (run: AppRun): string =>
  run.stderr
    .split("\n")
    .filter((l) => !l.startsWith("[emp-telemetry]"))
    .join("\n");

describe("an uncaught exception", () => {
  it("is written as a fatal entry with type, message, stack and cause chain, synchronously, before the process ends", async () => {
    const { run, records } = await crashRun("throw");
    expect(run.code).toBe(1);
    const fatal = records.find((r) => r.level === "fatal");
    expect(fatal).toMatchObject({
      message: "uncaught exception: TypeError: cannot read the job",
      "exception.origin": "uncaughtException",
      "exception.type": "TypeError",
      "exception.message": "cannot read the job",
      "emp.exception.causes": [expect.objectContaining({ "exception.type": "Error", "exception.message": "redis: connection reset" })],
    });
    expect(String(fatal?.["exception.stacktrace"])).toContain("at failure (");
    expect(run.stderr).toMatch(/\[emp-telemetry\] 2 log records not delivered to 127\.0\.0\.1:\d+ \(fluentd-forward\): 2 unsent/);
  });

  it("leaves Node's behaviour as it is: the same stack printed, the same exit code", async () => {
    const captured = await crashRun("throw", { EXIT_REPORT: "off" });
    const plain = await crashRun("throw", { EXIT_REPORT: "off", CAPTURE_UNCAUGHT: "off" });
    expect(captured.run.code).toBe(plain.run.code);
    expect(nodeOutput(captured.run)).toBe(nodeOutput(plain.run));
    expect(nodeOutput(plain.run)).toContain("TypeError: cannot read the job");
    expect(plain.records.some((r) => r.level === "fatal")).toBe(false);
  });

  it("lets other crash observers run", async () => {
    const { run, records } = await crashRun("throw-monitored");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("monitor saw cannot read the job\n");
    expect(records.filter((r) => r.level === "fatal")).toHaveLength(1);
  });

  it("is not captured when the app handles it itself, and the app decides the exit", async () => {
    const { run, records } = await crashRun("throw-handled");
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("app handled cannot read the job\n");
    expect(records.some((r) => r.level === "fatal")).toBe(false);
  });
});

describe("entries still queued when the crash comes", () => {
  it("are written to the log.addFile file before the crash entry, each once, and counted delivered, not unsent", async () => {
    const { run, records } = await crashRun("throw-queued");
    expect(run.code).toBe(1);
    const messages = records.map((r) => r.message);
    const queued = Array.from({ length: 50 }, (_, i) => `queued ${String(i)}`);
    // The entry logged 20 ms before is there once too, first, unless its batch was still in flight (not guaranteed).
    const before = messages.filter((m) => m === "before the crash").length;
    expect(before).toBeLessThanOrEqual(1);
    expect(messages).toEqual([...(before === 1 ? ["before the crash"] : []), ...queued, "uncaught exception: TypeError: cannot read the job"]);
    // The exit line names the network sink (all 52 entries unsent) and not the file: all of the file's were written.
    expect(run.stderr).toMatch(/\[emp-telemetry\] 52 log records not delivered to 127\.0\.0\.1:\d+ \(fluentd-forward\): 52 unsent/);
    expect(run.stderr.split("\n").filter((l) => l.startsWith("[emp-telemetry]"))).toEqual([expect.not.stringContaining("(file:")]);
  });
});

describe("entries still queued when the crash comes, with the disk spool on", () => {
  it("are written to the spool synchronously, and the next start delivers them", { timeout: 30_000 }, async () => {
    const spool = mkdtempSync(join(tmpdir(), "crash-spool-"));
    const crashed = await runFixtureApp("throw-queued", { FLUENTD_PORT: String(await refusedPort()), APP_SPOOL_DIR: spool });
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toMatch(/52 log records not delivered to 127\.0\.0\.1:\d+ \(fluentd-forward\): 52 unsent \(in the disk spool: sent by the next/);
    const receiver = await startForwardReceiver();
    try {
      const next = await runFixtureApp("one-log", { FLUENTD_PORT: String(receiver.port), APP_SPOOL_DIR: spool });
      expect(next.code).toBe(0);
      const messages = receiver.frames.flatMap((f) => f.entries.map(([, record]) => record.message));
      const queued = Array.from({ length: 50 }, (_, i) => `queued ${String(i)}`);
      // The entry logged 20 ms before is there once, first, unless the spool's write of it was still in progress (not guaranteed).
      const before = messages.filter((m) => m === "before the crash").length;
      expect(before).toBeLessThanOrEqual(1);
      expect(messages).toEqual([...(before === 1 ? ["before the crash"] : []), ...queued, "uncaught exception: TypeError: cannot read the job", "hello"]);
    } finally {
      await receiver.close();
    }
  });
});

describe("the crash entry over the network", () => {
  let receiver: ForwardReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it("reaches the Fluentd receiver before the process ends, within a second", async () => {
    receiver = await startForwardReceiver();
    const run = await runFixtureApp("throw", { FLUENTD_PORT: String(receiver.port) });
    expect(run.code).toBe(1);
    const records = receiver.frames.flatMap((f) => f.entries.map(([, record]) => record));
    expect(records.find((r) => r.level === "fatal")).toMatchObject({
      message: "uncaught exception: TypeError: cannot read the job",
      "exception.type": "TypeError",
      "exception.origin": "uncaughtException",
    });
    // The entry logged before the crash was still queued: counted unsent, the crash entry not.
    expect(run.stderr).toMatch(/1 log record not delivered to 127\.0\.0\.1:\d+ \(fluentd-forward\): 1 unsent/);
    expect(run.elapsedMs).toBeLessThan(4000);
  });

  it("reaches the OTLP logs receiver too", async () => {
    const otlp = await startOtlpReceiver();
    try {
      const run = await runFixtureApp("throw", { FLUENTD_PORT: String(await refusedPort()), OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: otlp.url("/v1/logs") });
      expect(run.code).toBe(1);
      const logs = otlp.logs().flatMap((req) => req.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)));
      expect(logs.map((l) => l.severityText)).toEqual(["FATAL"]);
      expect(attributesOf(logs[0]?.attributes)).toMatchObject({ "exception.type": "TypeError" });
    } finally {
      await otlp.close();
    }
  });
});

describe("an unhandled rejection", () => {
  it("is written as a fatal entry, and the process ends as Node ends it", async () => {
    const { run, records } = await crashRun("reject");
    const plain = await crashRun("reject", { EXIT_REPORT: "off", CAPTURE_UNCAUGHT: "off" });
    expect(run.code).toBe(1);
    expect(plain.run.code).toBe(1);
    expect(records.find((r) => r.level === "fatal")).toMatchObject({ "exception.origin": "unhandledRejection", "exception.type": "TypeError" });
    expect(nodeOutput(run)).toBe(nodeOutput(plain.run));
  });

  it("is not captured when the app has an unhandledRejection listener", async () => {
    const { run, records } = await crashRun("reject-handled");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("app handled cannot read the job\n");
    expect(records.some((r) => r.level === "fatal")).toBe(false);
  });
});
