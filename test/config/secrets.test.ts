import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { forwardTransportOptionsFromConfig } from "../../runtime/client/transport-options-from-config.js";
import { resolveTelemetryConfig } from "../../runtime/config/resolve-config.js";
import { Secret } from "../../runtime/config/secret.js";
import type { TelemetryConfigOptions } from "../../runtime/config/telemetry-config.js";
import { apiEnv, configErrorOf } from "./config-fixtures.js";

const secrets = ["s3cr3t-dash0-9f8e", "s3cr3t-shared-7a6b", "s3cr3t-header-5c4d"] as const;
const [dash0Key, sharedKey, headerToken] = secrets;

const secretEnv = {
  ...apiEnv,
  DASH0_ENDPOINT: "https://ingress.eu-west-1.aws.dash0.com",
  DASH0_API_KEY: dash0Key,
  DASH0_DATASET: "emp-prod",
  FLUENTD_SHARED_KEY: sharedKey,
  OTEL_EXPORTER_OTLP_HEADERS: `x-token=${headerToken}`,
  DASH0_API_KYE: dash0Key, // a misspelled variable holding a secret: its warning must not echo the value
};

/** Every printable form of `value` this library's users are likely to produce. */
function printedForms(value: unknown): string[] {
  return [
    inspect(value, { depth: Infinity, showHidden: true }),
    inspect(value, { depth: Infinity, showHidden: true, customInspect: false }),
    inspect(typeof value === "object" && value !== null ? { ...value } : value, { depth: Infinity, showHidden: true }),
    JSON.stringify(value) ?? "",
    String(value),
    `${String(value)}`,
  ];
}

function expectNoSecret(outputs: readonly string[]): void {
  for (const output of outputs) for (const secret of secrets) expect(output).not.toContain(secret);
}

describe("secret redaction", () => {
  it("never prints a secret from the resolved config", () => {
    const config = resolveTelemetryConfig({}, secretEnv);
    expectNoSecret(
      [config, config.dash0, config.fluentd, config.otlp, config.otlp.headers, config.dash0.apiKey, config.fluentd.sharedKey].flatMap(printedForms),
    );
  });

  it("shows each secret as [redacted]", () => {
    const json = JSON.parse(JSON.stringify(resolveTelemetryConfig({}, secretEnv))) as {
      dash0: { apiKey: string };
      fluentd: { sharedKey: string };
      otlp: { headers: Record<string, string> };
    };
    expect([json.dash0.apiKey, json.fluentd.sharedKey, json.otlp.headers.Authorization, json.otlp.headers["x-token"]]).toEqual([
      "[redacted]",
      "[redacted]",
      "[redacted]",
      "[redacted]",
    ]);
  });

  it("never prints a secret from the warnings", () => {
    const config = resolveTelemetryConfig({}, { ...secretEnv, FLUENTD_PROTOCOL: "http" });
    expect(config.warnings.map((warning) => warning.key)).toEqual(expect.arrayContaining(["DASH0_API_KYE", "FLUENTD_SHARED_KEY"]));
    expectNoSecret(config.warnings.flatMap(printedForms));
  });

  it("never prints a secret from a configuration error", () => {
    const options = { dash0: { apiKye: dash0Key } } as TelemetryConfigOptions;
    const error = configErrorOf(options, {
      ...secretEnv,
      DASH0_API_KEY: `${dash0Key} with spaces`,
      DASH0_AUTH_TOKEN: dash0Key,
      FLUENTD_SHARED_KEY: `${sharedKey}\u0007`,
      OTEL_EXPORTER_OTLP_HEADERS: `x-token=${headerToken},${headerToken}`,
    });
    expect(error.problems.map((problem) => problem.key)).toEqual(["dash0.apiKye", "FLUENTD_SHARED_KEY", "OTEL_EXPORTER_OTLP_HEADERS", "DASH0_API_KEY"]);
    expectNoSecret([error.message, error.stack ?? "", ...printedForms(error), ...printedForms(error.problems)]);
  });

  it("never prints a secret from a conflict between two names for the key", () => {
    const error = configErrorOf({}, { ...secretEnv, DASH0_AUTH_TOKEN: "another-key" });
    expect(error.problems[0]?.problem).toBe('differs from DASH0_AUTH_TOKEN="[redacted]": set only one of them');
    expectNoSecret([error.message, ...printedForms(error.problems)]);
  });

  it("never prints the shared key from the forward transport options", () => {
    const forward = forwardTransportOptionsFromConfig(resolveTelemetryConfig({}, secretEnv));
    expectNoSecret([inspect(forward, { depth: Infinity }), JSON.stringify(forward)]);
  });

  it("hands the secret values to code that asks for them", () => {
    const config = resolveTelemetryConfig({}, secretEnv);
    expect([config.dash0.apiKey?.reveal(), config.fluentd.sharedKey?.reveal()]).toEqual([dash0Key, sharedKey]);
  });

  it("keeps a Secret's value out of spreading and Object.entries", () => {
    const secret = new Secret(dash0Key);
    expect({ ...secret }).toEqual({});
    expect(Object.entries(secret)).toEqual([]);
    expect(Object.getOwnPropertyNames(secret)).toEqual([]);
  });
});
