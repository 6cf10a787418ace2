// The package's version is written once, in package.json: the sources import it, the bundle inlines it.
import { readdirSync, readFileSync } from "node:fs";
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

  it("is package.json's version in the built bundle too, inlined: dist/ reads no package.json at run time", () => {
    const files = readdirSync(`${repoRoot}dist`, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    const texts = files.map((f) => readFileSync(`${repoRoot}dist/${f}`, "utf8"));
    const loadsPackageJson = /(?:import|require)\s*\(\s*["'][^"']*package\.json|from\s*["'][^"']*package\.json/;
    expect(
      texts.filter((t) => loadsPackageJson.test(t)),
      "a bundle that loads package.json",
    ).toEqual([]);
    expect(
      texts.filter((t) => t.includes("devDependencies")),
      "a bundle with all of package.json inlined",
    ).toEqual([]);
    const inlined = texts.filter((t) => t.includes(`name: ${JSON.stringify(pkg.name)}`));
    expect(inlined.length).toBeGreaterThan(0);
    for (const t of inlined) expect(t).toContain(`version: ${JSON.stringify(pkg.version)}`);
  });
});
