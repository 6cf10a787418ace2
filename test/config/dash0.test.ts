import { describe, expect, it } from "vitest";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { revealHeaders } from "../../runtime/config/secret.js";
import { apiEnv, configErrorOf } from "./config-fixtures.js";

const dash0Env = { ...apiEnv, DASH0_ENDPOINT: "https://ingress.eu-west-1.aws.dash0.com", DASH0_API_KEY: "auth_test", DASH0_DATASET: "emp-prod" };

describe("Dash0 as the OTLP target", () => {
  it("sends traces to DASH0_ENDPOINT/v1/traces", () => {
    const config = resolveTelemetryConfig({}, dash0Env);
    expect(config.otlp).toMatchObject({ tracesEndpoint: "https://ingress.eu-west-1.aws.dash0.com/v1/traces", target: "dash0" });
  });

  it("adds Authorization: Bearer <key> and Dash0-Dataset headers", () => {
    expect(revealHeaders(resolveTelemetryConfig({}, dash0Env).otlp.headers)).toEqual({ Authorization: "Bearer auth_test", "Dash0-Dataset": "emp-prod" });
  });

  it("omits Dash0-Dataset when DASH0_DATASET is not set", () => {
    const config = resolveTelemetryConfig({}, { ...dash0Env, DASH0_DATASET: undefined });
    expect(Object.keys(config.otlp.headers)).toEqual(["Authorization"]);
  });

  it("keeps OTEL_EXPORTER_OTLP_HEADERS beside the Dash0 headers", () => {
    const config = resolveTelemetryConfig({}, { ...dash0Env, OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=emp" });
    expect(revealHeaders(config.otlp.headers)).toMatchObject({ "x-tenant": "emp", Authorization: "Bearer auth_test" });
  });

  it("reports an Authorization header in OTEL_EXPORTER_OTLP_HEADERS that would clash with Dash0's", () => {
    const error = configErrorOf({}, { ...dash0Env, OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20other" });
    expect(error.problems[0]).toMatchObject({
      key: "OTEL_EXPORTER_OTLP_HEADERS",
      problem: "sets authorization, which Dash0 takes from DASH0_API_KEY / DASH0_DATASET: remove it",
    });
  });

  it("leaves the OTLP target to an explicit OTLP endpoint and adds no Dash0 headers", () => {
    const config = resolveTelemetryConfig({}, { ...dash0Env, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" });
    expect(config.otlp).toMatchObject({ tracesEndpoint: "http://collector:4318/v1/traces", target: "collector", headers: {} });
  });

  it("keeps the Dash0 settings in config.dash0", () => {
    const config = resolveTelemetryConfig({}, dash0Env);
    expect(config.dash0.endpoint).toBe("https://ingress.eu-west-1.aws.dash0.com");
    expect(config.dash0.dataset).toBe("emp-prod");
    expect(config.dash0.apiKey?.reveal()).toBe("auth_test");
  });

  it("takes the Dash0 settings from options too", () => {
    const config = resolveTelemetryConfig({ dash0: { endpoint: "https://dash0.example", apiKey: "k" } }, apiEnv);
    expect(revealHeaders(config.otlp.headers)).toEqual({ Authorization: "Bearer k" });
  });
});
