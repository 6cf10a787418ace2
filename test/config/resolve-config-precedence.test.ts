import { describe, expect, it } from "vitest";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { serviceTypeDefaults } from "../../runtime/config/service-defaults.js";
import { apiEnv } from "./config-fixtures.js";

describe("resolveTelemetryConfig precedence", () => {
  it("lets an option win over its environment variable", () => {
    const config = resolveTelemetryConfig({ fluentd: { host: "from-code" } }, { ...apiEnv, FLUENTD_HOST: "from-env" });
    expect(config.fluentd.host).toBe("from-code");
  });

  it("lets an environment variable win over the service-type default", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_HOST: "from-env" });
    expect(config.fluentd.host).toBe("from-env");
  });

  it("uses the service-type default when neither option nor variable is set", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, SERVICE_TYPE: "machine", MACHINE_ID: "m1" });
    expect(config.logDir).toBe(serviceTypeDefaults.machine.logDir);
    expect(config.maxQueueBytes).toBe(serviceTypeDefaults.machine.maxQueueBytes);
  });

  it("ignores an invalid variable when the option overrides it", () => {
    const config = resolveTelemetryConfig({ fluentd: { port: 24230 } }, { ...apiEnv, FLUENTD_PORT: "http" });
    expect(config.fluentd.port).toBe(24230);
  });

  it("reads the whole service identity from the environment", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, SERVICE_TYPE: "worker", SERVICE_VERSION: "1.4.2", MACHINE_ID: "m1", WORKER_ID: "m1-w0" });
    expect(config.service).toMatchObject({
      name: "api-server",
      type: "worker",
      environment: "production",
      version: "1.4.2",
      machineId: "m1",
      workerId: "m1-w0",
    });
  });

  it("takes the whole service identity from options with an empty environment", () => {
    const config = resolveTelemetryConfig({ serviceName: "hooks", serviceType: "webhook", environment: "staging" }, {});
    expect(config.service).toMatchObject({ name: "hooks", type: "webhook", environment: "staging", version: undefined });
  });

  it("defaults the Fluentd connection to forward on localhost:24224 without TLS", () => {
    const config = resolveTelemetryConfig({}, apiEnv);
    expect(config.fluentd).toEqual({ enabled: true, protocol: "forward", host: "localhost", port: 24224, tls: false, sharedKey: undefined });
  });

  it("defaults the port to 8888 when FLUENTD_PROTOCOL is http", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_PROTOCOL: "HTTP" });
    expect(config.fluentd).toMatchObject({ protocol: "http", port: 8888 });
  });

  it("accepts every boolean spelling, case-insensitively", () => {
    const spellings = { true: ["true", "TRUE", "1", "yes", "On"], false: ["false", "0", "No", "off"] };
    for (const [expected, values] of Object.entries(spellings)) {
      for (const value of values) expect(resolveTelemetryConfig({}, { ...apiEnv, TELEMETRY_DEBUG: value }).debug).toBe(expected === "true");
    }
  });

  it("trims surrounding whitespace from environment values", () => {
    expect(resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_PORT: " 24230\n" }).fluentd.port).toBe(24230);
  });

  it("gives the same random instance id to every config of one process", () => {
    const first = resolveTelemetryConfig({}, apiEnv).service.instanceId;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(resolveTelemetryConfig({}, apiEnv).service.instanceId).toBe(first);
  });

  it("returns a deep-frozen config", () => {
    const config = resolveTelemetryConfig({}, apiEnv);
    for (const part of [config, config.service, config.fluentd, config.otlp, config.otlp.headers, config.dash0, config.warnings])
      expect(Object.isFrozen(part)).toBe(true);
  });
});
