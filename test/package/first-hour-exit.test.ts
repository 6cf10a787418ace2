// A script with no collector, run as a developer runs it (the built package in a child process): it
// exits at once instead of after the 5 s flush deadline, and says on stderr what was not delivered, where.
import { afterEach, describe, expect, it } from "vitest";
import { type ForwardReceiver, startForwardReceiver } from "../helpers/forward-receiver.js";
import { refusedPort, runFixtureApp } from "../helpers/run-fixture-app.js";

let receiver: ForwardReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe("a script whose collector is not running", () => {
  it("exits within about a second and prints one line: how many, why and to which host:port", async () => {
    const port = await refusedPort();
    const run = await runFixtureApp("one-log", { FLUENTD_PORT: String(port) });
    expect(run.code).toBe(0);
    expect(run.elapsedMs).toBeLessThan(3000); // 5.35 s before: the whole flush deadline
    const lines = run.stderr.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`1 log record not delivered to 127.0.0.1:${port} (fluentd-forward): 1 unsent, connect ECONNREFUSED`);
    expect(lines[0]).toContain("npx emp-telemetry dev");
  });

  it("prints nothing with exitReport: false", async () => {
    const port = await refusedPort();
    const run = await runFixtureApp("one-log", { FLUENTD_PORT: String(port), EXIT_REPORT: "off" });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("prints nothing when every record was delivered", async () => {
    receiver = await startForwardReceiver();
    const run = await runFixtureApp("one-log", { FLUENTD_PORT: String(receiver.port) });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(receiver.frames.flatMap((f) => f.entries.map(([, record]) => record.message))).toEqual(["hello"]);
  });

  it("prints a misspelled variable's warning once, without debug mode", async () => {
    const port = await refusedPort();
    const run = await runFixtureApp("one-log", { FLUENTD_PORT: String(port), FLUENTD_HOTS: "x", EXIT_REPORT: "off" });
    expect(run.stderr).toBe("[emp-telemetry] config warning: FLUENTD_HOTS is not read by @emp/telemetry; did you mean FLUENTD_HOST?\n");
  });
});
