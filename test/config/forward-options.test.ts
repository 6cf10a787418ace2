import { describe, expect, it } from "vitest";
import { forwardTransportOptionsFromConfig, resolveTelemetryConfig } from "../../runtime/config/index.js";
import { resolveForwardTransportOptions } from "../../runtime/transports/index.js";
import { apiEnv } from "./config-fixtures.js";

describe("forwardTransportOptionsFromConfig", () => {
  it("produces options that resolveForwardTransportOptions accepts", () => {
    const config = resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_HOST: "fluentd.internal", FLUENTD_PORT: "24230", FLUENTD_TLS: "on", FLUENTD_SHARED_KEY: "k" });
    const resolved = resolveForwardTransportOptions(forwardTransportOptionsFromConfig(config), {});
    expect(resolved).toMatchObject({ host: "fluentd.internal", port: 24230, tls: {}, sharedKey: "k", selfHostname: config.service.host });
  });

  it("sets every env-backed option so the transport's own env lookup never applies", () => {
    const options = forwardTransportOptionsFromConfig(resolveTelemetryConfig({}, apiEnv));
    const resolved = resolveForwardTransportOptions(options, { FLUENTD_HOST: "ignored", FLUENTD_PORT: "1", FLUENTD_SHARED_KEY: "ignored" });
    expect(resolved).toMatchObject({ host: "localhost", port: 24224, sharedKey: "" });
  });

  it("returns undefined when Fluentd speaks http", () => {
    expect(forwardTransportOptionsFromConfig(resolveTelemetryConfig({}, { ...apiEnv, FLUENTD_PROTOCOL: "http" }))).toBeUndefined();
  });

  it("returns undefined when the Fluentd sink is off", () => {
    expect(forwardTransportOptionsFromConfig(resolveTelemetryConfig({ fluentd: { enabled: false } }, apiEnv))).toBeUndefined();
  });
});
