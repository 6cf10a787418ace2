// The README's configuration tables are the ones the code renders, and its contract version is the schema's, so they cannot go stale.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTRACT_VERSION } from "../../generated/emp/telemetry/v1/contract_version.js";
import { knownEnvNames, renderEnvTable } from "../../runtime/config/env-table.js";
import { renderUnhonouredOtelTable } from "../../runtime/config/otel-unhonoured.js";
import { otelStandardEnvNames } from "../../runtime/config/otel-standard-env.js";
import { renderServiceDefaultsTable } from "../../runtime/config/service-defaults.js";
import { repoRoot } from "../helpers/run-command.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

describe("the README", () => {
  it("shows the service defaults table the code renders", () => {
    expect(readme).toContain(renderServiceDefaultsTable().trim());
  });

  it("shows the environment table the code renders", () => {
    expect(readme).toContain(renderEnvTable().trim());
  });

  it("lists every standard OTEL_* variable as honoured (env table) or warned (the table the code renders)", () => {
    expect(readme).toContain(renderUnhonouredOtelTable().trim());
    for (const name of otelStandardEnvNames) {
      // A row of its own, or an alias in a row (`OTEL_SERVICE_NAME` (wins)); honoured ones are in the env table.
      expect(readme.includes(`| \`${name}\` |`) || readme.includes(`\`${name}\` (`), name).toBe(true);
      if (knownEnvNames.has(name)) expect(renderEnvTable()).toContain(`\`${name}\``);
    }
  });

  it("states the contract version the schema sets, which is also the newest released image", () => {
    const stated = [...readme.matchAll(/contract version \(now (\d+\.\d+\.\d+)\)/g)].map((m) => m[1]);
    expect(stated).toEqual([CONTRACT_VERSION]);
    const releases = readdirSync(join(repoRoot, "schema", "releases")).map((f) => /^v(.+)\.binpb$/.exec(f)?.[1]);
    expect(releases).toContain(CONTRACT_VERSION);
  });
});
