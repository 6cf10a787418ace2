// No command prints a secret from its environment, whatever it is asked.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliCommands } from "../../runtime/cli/commands.js";
import { cliTestSecrets, cliTestSecretValues, runCommandInProcess } from "../helpers/cli-io.js";
import { tempDir } from "../helpers/daemons.js";

const temp = tempDir("emp-cli-secrets-");
afterAll(() => temp.remove());

const env = {
  ...cliTestSecrets,
  DASH0_ENDPOINT: "https://ingress.example.dash0.com",
  DASH0_DATASET: "emp",
  SERVICE_NAME: "api-server",
  SERVICE_TYPE: "api",
  TELEMETRY_ENV: "test",
  FLUENTD_HOST: "fluentd.internal",
};

describe("emp-telemetry with secrets in the environment", () => {
  const ndjson = path.join(temp.dir, "records.ndjson");
  writeFileSync(ndjson, `${JSON.stringify({ message: "no secret here" })}\n`);
  const invocations: readonly (readonly string[])[] = [
    ["--help"],
    ["fluent-bit-config", "/logs/a.log"],
    ["fluent-bit-config", "--format", "classic", "/logs/a.log"],
    ["fluentd-config"],
    ["collector-config"],
    ["collector-config", "--per-machine", "--dataset", "x"],
    ["validate", ndjson],
    ["validate", "--json", ndjson],
    ["contract"],
    ["check", "/nonexistent-dir-for-emp-cli"],
    ["no-such-command"],
    ...cliCommands.map((c) => [c.name, "--help"]),
    ...cliCommands.map((c) => [c.name, "--bogus"]),
  ];

  for (const argv of invocations) {
    it(`never prints them: ${argv.join(" ")}`, async () => {
      const r = await runCommandInProcess(argv, env);
      for (const secret of cliTestSecretValues) {
        expect(r.stdout).not.toContain(secret);
        expect(r.stderr).not.toContain(secret);
      }
    });
  }

  it("never prints them when FLUENTD_* values are invalid (error messages redact the key)", async () => {
    const r = await runCommandInProcess(["fluent-bit-config", "/logs/a.log"], {
      ...env,
      FLUENTD_PORT: "nope",
      FLUENTD_SHARED_KEY: `${cliTestSecrets.FLUENTD_SHARED_KEY} with space`,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(cliTestSecrets.FLUENTD_SHARED_KEY);
  });
});
