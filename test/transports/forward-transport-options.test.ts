import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { TelemetryError } from "../../runtime/errors/telemetry-error.js";
import { forwardTransportDefaults, resolveForwardTransportOptions } from "../../runtime/transports/forward/forward-transport-options.js";

describe("resolveForwardTransportOptions", () => {
  it("uses the frozen defaults when nothing is set", () => {
    const resolved = resolveForwardTransportOptions({ selfHostname: "h" });
    expect(Object.isFrozen(forwardTransportDefaults)).toBe(true);
    expect(resolved).toMatchObject({ host: "127.0.0.1", port: 24224, ackTimeoutMs: 5000, connectTimeoutMs: 5000, gzip: false, sharedKey: "", tls: undefined });
  });

  it("takes host, port and shared key from code only", () => {
    const resolved = resolveForwardTransportOptions({ host: "code", port: 1, sharedKey: "" });
    expect(resolved).toMatchObject({ host: "code", port: 1, sharedKey: "" });
  });

  it("throws one config_invalid error naming every bad value, with secrets redacted", () => {
    let caught: unknown;
    try {
      resolveForwardTransportOptions({ port: 70000, ackTimeoutMs: -1, password: 98765 as unknown as string, bogus: 1 } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TelemetryConfigError);
    expect(caught).toBeInstanceOf(TelemetryError);
    const error = caught as TelemetryError;
    expect(error.code).toBe("config_invalid");
    for (const part of ["port=70000", "ackTimeoutMs=-1", "password=[redacted]", "bogus", "e.g. 24224"]) expect(error.message).toContain(part);
    expect(error.message).not.toContain("98765");
  });

  it("redacts secrets in util.inspect and JSON.stringify", () => {
    const resolved = resolveForwardTransportOptions({ sharedKey: "the-key-123", password: "pw-456", username: "u", tls: { key: "PRIVATE-789" } });
    for (const text of [inspect(resolved, { showHidden: true, depth: 5 }), JSON.stringify(resolved)]) {
      expect(text).not.toMatch(/the-key-123|pw-456|PRIVATE-789/);
      expect(text).toContain("[redacted]");
    }
    expect(resolved.sharedKey).toBe("the-key-123");
  });
});
