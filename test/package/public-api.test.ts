// The public API is small and written out by hand: the root's values and the exports map's subpaths
// are listed here, so growing either is a decision made in review, not a side effect of `export *`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as root from "../../runtime/index.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, "utf8")) as { exports: Record<string, unknown> };

describe("the public API", () => {
  it("the root exports the client, its configuration, the delivery report's drop reasons and the errors", () => {
    expect(Object.keys(root).sort()).toEqual([
      "ConnectionManager",
      "EmpTelemetryClient",
      "MissingDependencyError",
      "Secret",
      "TelemetryConfig",
      "TelemetryConfigError",
      "TelemetryError",
      "clientDefaults",
      "connectionManagerDefaults",
      "createTelemetryClient",
      "dropReasons",
      "metricDropReasons",
      "metricsDefaults",
      "resolveTelemetryConfig",
      "serviceTypeDefaults",
      "serviceTypes",
    ]);
  });

  it("the root index re-exports nothing wholesale", () => {
    const source = readFileSync(`${repoRoot}runtime/index.ts`, "utf8");
    expect(source).not.toMatch(/export \* from/);
  });

  it("subpaths exist only for what users call", () => {
    expect(Object.keys(pkg.exports)).toEqual([
      ".",
      "./contract",
      "./bridges",
      "./health-service",
      "./daemon-config",
      "./collector",
      "./check",
      "./contract-test",
      "./cli",
      "./package.json",
    ]);
  });
});
