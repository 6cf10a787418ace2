// The README's set-up commands on a fresh machine: `npm test` installs (as root) or names what the
// tests need beyond npm before any test runs, `npm ci` resolves every peer without ERESOLVE, and
// `npm test` does not rebuild the dist/ that `npm ci` has just built (content hashes, not times).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../helpers/daemons.js";

const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const temp = tempDir("emp-fresh-machine-");
afterAll(() => temp.remove());

/** `major.minor.patch` as numbers. */
const version = (v: string): number[] => v.split(".").map(Number);
const compare = (a: number[], b: number[]): number => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

/** Whether `v` satisfies `range` in the forms the lockfile's @opentelemetry/api peers use: `^x.y.z`, `>=x.y.z <a.b.c`. */
function satisfies(v: string, range: string): boolean {
  const have = version(v);
  const caret = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (caret !== null) return have[0] === version(caret[1]!)[0] && compare(have, version(caret[1]!)) >= 0;
  const between = /^>=(\d+\.\d+\.\d+) <(\d+\.\d+\.\d+)$/.exec(range);
  if (between !== null) return compare(have, version(between[1]!)) >= 0 && compare(have, version(between[2]!)) < 0;
  throw new Error(`range form not handled: ${range}`);
}

describe("the README's set-up commands on a fresh machine", () => {
  it("keeps exactly the two commands on the README's first screen", () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const block = /## Set up on a fresh machine\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(
      block
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => l.replace(/\s+#.*$/, "")),
    ).toEqual(["npm ci && npm start", "npm ci && npm test"]);
  });

  it("checks (as root: installs) the tests' Debian packages and Chromium before any test: `pretest`", () => {
    expect(pkg.scripts.pretest).toBe("bash .ci/test-deps");
    const ok = spawnSync("bash", [".ci/test-deps"], { cwd: repoRoot, encoding: "utf8", timeout: 120_000 });
    expect(ok.status, ok.stderr).toBe(0);
    const missing = spawnSync("bash", [".ci/test-deps"], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, CHROMIUM_PATH: "/nonexistent/chromium" },
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("CHROMIUM_PATH=/nonexistent/chromium is not an executable");
  }, 150_000);

  it("resolves every @opentelemetry/api peer in the lockfile with the pinned version (no ERESOLVE on npm ci)", () => {
    const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
      packages: Record<string, { peerDependencies?: Record<string, string> }>;
    };
    const api = pkg.devDependencies["@opentelemetry/api"]!;
    const unmet = Object.entries(lock.packages)
      .filter(([, p]) => p.peerDependencies?.["@opentelemetry/api"] !== undefined)
      .filter(([, p]) => !satisfies(api, p.peerDependencies!["@opentelemetry/api"]!))
      .map(([name, p]) => `${name} wants ${p.peerDependencies!["@opentelemetry/api"]}`);
    expect(unmet).toEqual([]);
    const ls = spawnSync("npm", ["ls", "@opentelemetry/api", "--all"], { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });
    expect(ls.status, ls.stdout + ls.stderr).toBe(0);
    expect(ls.stdout).not.toMatch(/invalid|UNMET/);
  }, 90_000);

  describe("build:if-stale (npm test after npm ci)", () => {
    expect(pkg.scripts.test).toContain("npm run build:if-stale");
    expect(pkg.scripts.build).toMatch(/&& node \.ci\/build-stamp\.mjs write$/);
    const root = temp.dir;
    const file = (p: string, text: string): void => {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      writeFileSync(path.join(root, p), text);
    };
    const stamp = (mode: string): { status: number | null; out: string } => {
      const r = spawnSync(process.execPath, [path.join(root, ".ci/build-stamp.mjs"), mode], { encoding: "utf8", timeout: 20_000 });
      return { status: r.status, out: r.stdout + r.stderr };
    };

    it("skips a dist/ built from the same sources, and rebuilds after any change to them or to dist/", () => {
      mkdirSync(path.join(root, ".ci"), { recursive: true });
      copyFileSync(path.join(repoRoot, ".ci/build-stamp.mjs"), path.join(root, ".ci/build-stamp.mjs"));
      for (const p of [
        "runtime/a.ts",
        "generated/b.ts",
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "tsconfig.build.json",
        "codegen/bundle-runtime.ts",
      ])
        file(p, `// ${p}\n`);
      file("dist/runtime/a.js", "a\n");
      expect(stamp("check")).toEqual({ status: 1, out: "dist/ has no build stamp: building\n" });
      expect(stamp("write").status).toBe(0);
      expect(stamp("check")).toEqual({ status: 0, out: "dist/ is up to date (built from these sources): not building again\n" });
      file("runtime/a.ts", "// changed\n");
      expect(stamp("check")).toEqual({ status: 1, out: "dist/ is older than its sources: building\n" });
      file("runtime/a.ts", "// runtime/a.ts\n");
      expect(stamp("check").status).toBe(0);
      file("runtime/new.ts", "\n");
      expect(stamp("check").status).toBe(1);
      expect(stamp("write").status).toBe(0);
      file("dist/runtime/a.js", "edited\n");
      expect(stamp("check")).toEqual({ status: 1, out: "dist/ was changed since it was built: building\n" });
    });
  });
});
