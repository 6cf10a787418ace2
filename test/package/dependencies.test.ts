// What a production install of the package pulls in: read from package.json, no network. A service
// that only logs must not install the tools' dependencies, nor what only our tests and benchmarks use.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { optionalDependencies } from "../../runtime/package/optional-dependencies.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

interface PackageJson {
  readonly main: string;
  readonly types: string;
  readonly exports: Record<string, string | { readonly types: string; readonly default: string }>;
  readonly dependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
  readonly peerDependenciesMeta: Record<string, { readonly optional?: boolean }>;
  readonly devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, "utf8")) as PackageJson;

/** Only for tools (optional peers), tests and benchmarks (devDependencies), or never imported. */
const notForProduction = [
  "ts-morph",
  "@bufbuild/protovalidate",
  "@bufbuild/cel",
  "@opentelemetry/exporter-trace-otlp-proto",
  "@opentelemetry/exporter-logs-otlp-proto",
  "@opentelemetry/sdk-logs",
  "@opentelemetry/api-logs",
  "@opentelemetry/semantic-conventions",
  "@opentelemetry/core",
  "@opentelemetry/instrumentation",
  "@opentelemetry/sdk-trace-base",
  "@opentelemetry/instrumentation-http",
  "fluent-logger",
  "@connectrpc/connect",
  "@connectrpc/connect-node",
  "winston-transport",
];

describe("package.json dependencies", () => {
  it("installs none of the tools', tests' or benchmarks' packages in production", () => {
    expect(Object.keys(pkg.dependencies).filter((name) => notForProduction.includes(name))).toEqual([]);
  });

  it("has @opentelemetry/api as a required peer with a range, pinned as a devDependency for our tests", () => {
    expect(pkg.dependencies["@opentelemetry/api"]).toBeUndefined();
    expect(pkg.peerDependencies["@opentelemetry/api"]).toBe(">=1.3.0 <1.10.0");
    expect(pkg.peerDependenciesMeta["@opentelemetry/api"]?.optional).not.toBe(true);
    expect(pkg.devDependencies["@opentelemetry/api"]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("declares every lazily loaded package as an optional peer whose range the install command satisfies", () => {
    const loaded = Object.values(optionalDependencies).flatMap((d) => [`${d.name}@${d.version}`, ...(d.with ?? [])]);
    for (const spec of loaded) {
      const [, name = "", major = ""] = /^(@?[^@]+)@(\d+)$/.exec(spec) ?? [];
      expect(pkg.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(pkg.peerDependencies[name], name).toMatch(new RegExp(`^\\^${major}\\.`));
      expect(pkg.devDependencies[name], `${name} pinned for our tests`).toMatch(new RegExp(`^${major}\\.\\d+\\.\\d+$`));
    }
    const optionalPeers = Object.keys(pkg.peerDependenciesMeta).filter((name) => pkg.peerDependenciesMeta[name]?.optional === true);
    expect(optionalPeers.sort()).toEqual([...new Set(loaded.map((spec) => spec.replace(/@[^@]+$/, "")))].sort());
  });

  it("keeps the benchmark baseline (fluent-logger) and the OTLP oracle (exporter-trace-otlp-proto) as devDependencies", () => {
    expect(pkg.devDependencies).toHaveProperty("fluent-logger");
    expect(pkg.devDependencies).toHaveProperty("@opentelemetry/exporter-trace-otlp-proto");
  });

  it("has main and types fallbacks that match the root export, for classic TypeScript resolution", () => {
    expect(pkg.exports["."]).toEqual({ types: pkg.types, default: pkg.main });
  });
});

/** Every package the declarations reachable from `file` import, with the declaration file that imports it. */
function packagesTypedFrom(file: string, seen = new Set<string>(), found = new Map<string, string>()): Map<string, string> {
  if (seen.has(file) || !existsSync(file)) return found;
  seen.add(file);
  for (const [, specifier = ""] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
    if (specifier.startsWith(".")) packagesTypedFrom(resolve(dirname(file), specifier.replace(/\.js$/, ".d.ts")), seen, found);
    else found.set(specifier, relative(repoRoot, file));
  }
  return found;
}

describe("the root entry point's declarations", () => {
  it("need no optional peer's types, so a service type-checks without them (no skipLibCheck needed)", () => {
    const typed = packagesTypedFrom(`${repoRoot}dist/runtime/index.d.ts`);
    const optional = Object.keys(pkg.peerDependenciesMeta);
    expect([...typed].filter(([name]) => optional.some((o) => name === o || name.startsWith(`${o}/`)))).toEqual([]);
  });
});

describe("the built package without its optional peers", () => {
  const runHidden = (hide: string, args: string[]) =>
    spawnSync(process.execPath, ["--import", "./test/fixtures/built-package/hide-packages.mjs", ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, HIDE_PACKAGES: hide },
    });

  it("`emp-telemetry check` exits 2 and names `npm i -D ts-morph@28` when ts-morph is not installed", () => {
    const r = runHidden("ts-morph", ["dist/runtime/cli/main.js", "check", "test/fixtures/check-project"]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain("the optional package ts-morph, used by emp-telemetry check (@emp/telemetry/check), is not installed");
    expect(r.stderr).toContain("run `npm i -D ts-morph@28`");
  });

  it("the root entry point loads without ConnectRPC and ts-morph; the health service names its npm command", () => {
    const script = `
      const root = await import("@emp/telemetry");
      const error = await import("@emp/telemetry/health-service").catch((e) => e);
      console.log(JSON.stringify({ client: typeof root.EmpTelemetryClient, code: error.code, message: error.message }));`;
    const r = runHidden("@connectrpc/connect,@connectrpc/connect-node,ts-morph,winston-transport", ["--input-type=module", "-e", script]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { client: string; code: string; message: string };
    expect(out).toMatchObject({ client: "function", code: "dependency_missing" });
    expect(out.message).toContain("npm i @connectrpc/connect-node@2 @connectrpc/connect@2");
  });

  it("the bridges entry point loads without winston-transport: the pino bridge works, the winston bridge names its npm command", () => {
    const script = `
      const bridges = await import("@emp/telemetry/bridges");
      const target = { write() {} };
      const pino = typeof bridges.createPinoDestination(target).write;
      let error;
      try { bridges.createWinstonTransport(target); } catch (e) { error = e; }
      console.log(JSON.stringify({ pino, code: error?.code, message: error?.message }));`;
    const r = runHidden("winston-transport", ["--input-type=module", "-e", script]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { pino: string; code: string; message: string };
    expect(out).toMatchObject({ pino: "function", code: "dependency_missing" });
    expect(out.message).toContain("used by the winston bridge (createWinstonTransport), is not installed: run `npm i winston-transport@4`");
  });
});
