// The client's own options are checked with the configuration (one error naming every problem), a
// misspelled one gets a suggestion, and configuration warnings are printed once without debug mode.
import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import type { EmpTelemetryClientOptions } from "../../runtime/client/client-options.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";

const base: EmpTelemetryClientOptions = {
  env: {},
  serviceName: "checks",
  serviceType: "api",
  environment: "test",
  handleExitSignals: false,
  registerGlobal: false,
  otlp: { traces: false },
  fluentd: { enabled: false },
};

function configErrorOf(options: Record<string, unknown>): TelemetryConfigError {
  try {
    new EmpTelemetryClient({ ...base, ...options } as EmpTelemetryClientOptions);
  } catch (error: unknown) {
    if (error instanceof TelemetryConfigError) return error;
    throw error;
  }
  throw new Error("no TelemetryConfigError");
}

describe("client option checks", () => {
  it("suggests the client's own option for a misspelled one, showing a boolean value as it is", () => {
    const error = configErrorOf({ handleExitSignal: false });
    expect(error.problems).toEqual([
      expect.objectContaining({ key: "handleExitSignal", value: "false", problem: expect.stringContaining("did you mean handleExitSignals?") }),
    ]);
    expect(error.message).not.toContain("[redacted]");
  });

  it("suggests level for levle and keeps a string value redacted (it may be a misspelled secret)", () => {
    const error = configErrorOf({ levle: "debug" });
    expect(error.problems[0]).toMatchObject({ key: "levle", value: "[redacted]", problem: expect.stringContaining("did you mean level?") });
  });

  it("lists the client's own options among the known ones", () => {
    const error = configErrorOf({ zzzzzzzz: 1 });
    expect(error.problems[0]?.problem).toContain("flushTimeoutMs");
    expect(error.problems[0]?.problem).toContain("serviceName");
  });

  it("accepts flushTimeoutMs, the default deadline of flush()", async () => {
    const client = new EmpTelemetryClient({ ...base, flushTimeoutMs: 1234 });
    expect((await client.flush()).status).toBe("complete");
    await client.shutdown();
  });

  it("names a bad client option and a bad configuration value in one error", () => {
    const error = configErrorOf({ flushTimeoutMs: -5, level: "verbose", fluentd: { enabled: true, port: 70000 } });
    expect(error.problems.map((p) => p.key)).toEqual(["fluentd.port", "level", "flushTimeoutMs"]);
    expect(error.message).toContain("3 problems");
  });

  it("refuses a beforeSend that is no function and a redact that is no list of strings", () => {
    const error = configErrorOf({ beforeSend: "drop", redact: "password" });
    expect(error.problems.map((p) => p.key)).toEqual(["redact", "beforeSend"]);
  });
});

describe("TELEMETRY_CONSOLE", () => {
  it("takes pretty, json or off from the variable (any case) or the console option, off by default", async () => {
    const fromEnv = new EmpTelemetryClient({ ...base, env: { TELEMETRY_CONSOLE: "JSON" } });
    const fromOption = new EmpTelemetryClient({ ...base, env: { TELEMETRY_CONSOLE: "json" }, console: "off" });
    const unset = new EmpTelemetryClient(base);
    expect([fromEnv.config.console, fromOption.config.console, unset.config.console]).toEqual(["json", "off", "off"]);
    await Promise.all([fromEnv.shutdown(), fromOption.shutdown(), unset.shutdown()]);
  });

  it("names a wrong value with the right ones", () => {
    try {
      new EmpTelemetryClient({ ...base, env: { TELEMETRY_CONSOLE: "loud" } });
      expect.unreachable();
    } catch (error: unknown) {
      expect((error as TelemetryConfigError).problems).toEqual([
        { key: "TELEMETRY_CONSOLE", value: "loud", problem: "must be one of pretty, json, off", example: "TELEMETRY_CONSOLE=pretty" },
      ]);
    }
  });
});

describe("configuration warnings", () => {
  const capture = (): { lines: string[]; write: (line: string) => void } => {
    const lines: string[] = [];
    return { lines, write: (line) => void lines.push(line) };
  };

  it("prints each warning once per process, without debug mode", async () => {
    const first = capture();
    const second = capture();
    const a = new EmpTelemetryClient({ ...base, env: { SERVICE_NAM: "x" }, diagnosticsWriter: first.write });
    const b = new EmpTelemetryClient({ ...base, env: { SERVICE_NAM: "x" }, diagnosticsWriter: second.write });
    expect(first.lines).toEqual(["[emp-telemetry] config warning: SERVICE_NAM is not read by @emp/telemetry; did you mean SERVICE_NAME?\n"]);
    expect(second.lines).toEqual([]);
    expect(b.health().warnings).toHaveLength(1);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it("prints nothing with configWarnings: false, and keeps the warning in health()", async () => {
    const out = capture();
    const client = new EmpTelemetryClient({ ...base, env: { FLUENTD_HOTS: "x" }, configWarnings: false, diagnosticsWriter: out.write });
    expect(out.lines).toEqual([]);
    expect(client.health().warnings.map((w) => w.key)).toEqual(["FLUENTD_HOTS"]);
    await client.shutdown();
  });
});
