// The package's version is written once, in package.json: the sources import it, the bundle inlines it.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { instrumentationScope } from "../../runtime/encoding/otlp-log-encoder.js";
import { packageName, packageVersion } from "../../runtime/package/package-version.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, "utf8")) as { name: string; version: string };

describe("packageVersion", () => {
  it("is package.json's name and version, which the OTLP instrumentation scope carries", () => {
    expect({ packageName, packageVersion }).toEqual({ packageName: pkg.name, packageVersion: pkg.version });
    expect(instrumentationScope).toEqual({ name: pkg.name, version: pkg.version });
  });

  it("is package.json's version in the built bundle too", () => {
    const script = `const { instrumentationScope } = await import("@emp/telemetry/encoding"); console.log(JSON.stringify(instrumentationScope));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repoRoot, encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: pkg.name, version: pkg.version });
  });
});
