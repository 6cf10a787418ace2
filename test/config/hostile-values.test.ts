import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { apiEnv, configErrorOf } from "./config-fixtures.js";

// Issue 13 items 11 and 14: a password in an endpoint URL is never quoted back, and a line break in
// an OTLP header value is one problem among the others, reported at once.

describe("a password in an endpoint URL", () => {
  const password = "hunter2-s3cret";
  for (const name of ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "DASH0_ENDPOINT"]) {
    it(`${name}: the error shows the URL with its user and password as ***`, () => {
      const error = configErrorOf({}, { ...apiEnv, DASH0_API_KEY: "auth_k", [name]: `https://user:${password}@collector.example:4318/base` });
      expect(error.message).not.toContain(password);
      expect(error.message).not.toContain("user:");
      expect(error.message).toContain(`${name}="https://***@collector.example:4318/base": must not contain a user or password`);
      expect(JSON.stringify(error.problems)).not.toContain(password);
    });
  }

  it("an option from code is redacted too, even with an @ in the password", () => {
    const error = configErrorOf({ otlp: { endpoint: `http://u:pa@ss${password}@c:4318` } }, apiEnv);
    expect(error.message).not.toContain(password);
    expect(error.message).toContain('"http://***@c:4318"');
  });
});

describe("a line break in an OTLP header value", () => {
  const headers = "x-tenant=emp,authorization=Bearer%20zq9secretzq%0D%0AX-Injected:%201";

  it("is reported with every other problem in one TelemetryConfigError", () => {
    const error = configErrorOf({}, { ...apiEnv, SERVICE_TYPE: "robot", FLUENTD_PORT: "http", OTEL_EXPORTER_OTLP_HEADERS: headers });
    const keys = error.problems.map((problem) => problem.key);
    expect(keys).toEqual(expect.arrayContaining(["SERVICE_TYPE", "FLUENTD_PORT", "OTEL_EXPORTER_OTLP_HEADERS"]));
    expect(error.message).toContain("entry 2 has a value that cannot be sent in an HTTP header (a line break, control or non-Latin-1 character)");
    expect(error.message).not.toContain("zq9secretzq");
  });

  it("from code, the same", () => {
    const error = configErrorOf({ otlp: { headers: { "x-a": "ok", "x-b": "v\nInjected: 1" } }, serviceType: "robot" as "api" }, apiEnv);
    expect(error.problems.map((problem) => problem.key)).toEqual(expect.arrayContaining(["serviceType", "otlp.headers"]));
    expect(error.message).toContain("entry 2 has a value that cannot be sent in an HTTP header (a line break, control or non-Latin-1 character)");
  });

  it("is the client constructor's one TelemetryConfigError (never a later one from the transport)", () => {
    let thrown: unknown;
    try {
      new EmpTelemetryClient({ env: { ...apiEnv, OTEL_EXPORTER_OTLP_HEADERS: headers } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TelemetryConfigError);
    expect((thrown as TelemetryConfigError).problems.map((problem) => problem.key)).toEqual(["OTEL_EXPORTER_OTLP_HEADERS"]);
  });
});
