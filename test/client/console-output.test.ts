// TELEMETRY_LOGS=false: nothing of ours on the console, even in debug mode; OTEL_LOG_LEVEL=debug turns debug mode on.
import { afterEach, describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";

const written: string[] = [];
const original = process.stderr.write.bind(process.stderr);
afterEach(() => {
  process.stderr.write = original;
  written.length = 0;
});

/** Constructs a client (a config warning pending: an OTEL_* we do not honour) and returns what it wrote on stderr. */
async function stderrOf(env: Record<string, string>): Promise<string[]> {
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  const client = new EmpTelemetryClient({
    serviceType: "api",
    handleExitSignals: false,
    registerGlobal: false,
    env: { SERVICE_NAME: "api-server", TELEMETRY_ENV: "test", OTEL_PROPAGATORS: "b3", OTEL_SDK_DISABLED: "true", ...env },
  });
  await client.shutdown(100);
  process.stderr.write = original;
  return written.filter((line) => line.includes("[emp-telemetry]"));
}

describe("our console output", () => {
  it("OTEL_LOG_LEVEL=debug prints the config warnings", async () => {
    expect((await stderrOf({ OTEL_LOG_LEVEL: "debug" })).join("")).toContain("OTEL_PROPAGATORS is not honoured");
  });

  it("TELEMETRY_LOGS=false prints nothing, even in debug mode", async () => {
    expect(await stderrOf({ OTEL_LOG_LEVEL: "debug", TELEMETRY_DEBUG: "true", TELEMETRY_LOGS: "false" })).toEqual([]);
  });
});
