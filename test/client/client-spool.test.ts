// The client's `spool` option: off by default, `<LOG_DIR>/spool/<sink>` for `spool: true`, checked
// when the client is constructed (every problem named at once).
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EmpTelemetryClientOptions } from "../../runtime/client/client-options.js";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { tempDir } from "../helpers/daemons.js";

const cleanups = cleanupsAfterEach();

function client(options: EmpTelemetryClientOptions, env: Record<string, string> = {}): EmpTelemetryClient {
  const c = new EmpTelemetryClient({
    env,
    serviceName: "worker-1",
    serviceType: "worker",
    machineId: "m-1",
    workerId: "w-1",
    environment: "test",
    fluentd: { host: "127.0.0.1", port: 9 },
    handleExitSignals: false,
    registerGlobal: false,
    ...options,
  });
  cleanups.push(() => c.shutdown(100));
  return c;
}

function configError(make: () => unknown): TelemetryConfigError {
  try {
    make();
  } catch (error: unknown) {
    if (error instanceof TelemetryConfigError) return error;
    throw error;
  }
  throw new Error("no TelemetryConfigError");
}

describe("the client's spool option", () => {
  it("is off by default: no sink has a spool", () => {
    const c = client({});
    expect(c.health().sinks.map((s) => s.spool)).toEqual(c.health().sinks.map(() => undefined));
  });

  it("spools each network sink under <LOG_DIR>/spool/<sink name> with spool: true", () => {
    const temp = tempDir("client-spool-");
    cleanups.push(async () => temp.remove());
    const c = client({ spool: true }, { LOG_DIR: temp.dir });
    const spools = c.health().sinks.map((s) => [s.name, s.spool?.dir, s.spool?.maxBytes, s.spool?.fsync]);
    expect(spools).toContainEqual(["fluentd-forward", path.join(temp.dir, "spool", "fluentd-forward"), 256 * 1024 * 1024, "batch"]);
    expect(spools).toContainEqual(["otlp-traces", path.join(temp.dir, "spool", "otlp-traces"), 256 * 1024 * 1024, "batch"]);
    expect(existsSync(path.join(temp.dir, "spool", "fluentd-forward"))).toBe(true);
  });

  it("takes dir, maxBytes and fsync", () => {
    const temp = tempDir("client-spool-");
    cleanups.push(async () => temp.remove());
    const c = client({ spool: { dir: temp.dir, maxBytes: 1 << 20, fsync: "always" }, otlp: { traces: false } });
    expect(c.health().sinks[0]?.spool).toMatchObject({ dir: path.join(temp.dir, "fluentd-forward"), maxBytes: 1 << 20, fsync: "always" });
  });

  it("names every bad spool setting at construction, and asks for a directory where the service type has no log directory", () => {
    const bad = configError(() => client({ spool: { dir: "relative/dir", maxBytes: 10, fsync: "sometimes" as never, size: 1 } as never }));
    expect(bad.message).toContain("spool.dir");
    expect(bad.message).toContain("spool.maxBytes");
    expect(bad.message).toContain("spool.fsync");
    expect(bad.message).toContain("spool.size");
    const api = configError(() => client({ serviceType: "api", spool: true }));
    expect(api.message).toMatch(/spool\.dir.*LOG_DIR/s);
  });
});
