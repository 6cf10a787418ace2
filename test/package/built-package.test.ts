// The package as services install it: dist/ built by `npm run build` (tsc declarations + esbuild
// bundles with shared chunks), loaded through the exports map and the CLI bin, in fresh processes.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: repoRoot, encoding: "utf8", timeout: 30_000 });

describe("the built package", () => {
  it("is built: every entry point of the exports map and the bin exist, shared code in chunks", () => {
    expect(existsSync(`${repoRoot}dist/runtime/index.js`), "run `npm run build` first (npm test does)").toBe(true);
    expect(existsSync(`${repoRoot}dist/runtime/index.d.ts`)).toBe(true);
    expect(readdirSync(`${repoRoot}dist/chunks`).some((f) => f.endsWith(".js"))).toBe(true);
  });

  it("loads every entry point, shares its classes across them, and delivers a log entry and a span to the collector", () => {
    const r = run(["test/fixtures/built-package/smoke.mjs"]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      exportCounts: Record<string, number>;
      sharedErrorClass: boolean;
      flushed: string;
      bySignal: Record<string, number>;
      violations: number;
      delivered: number;
    };
    for (const [entry, count] of Object.entries(out.exportCounts)) expect(count, entry).toBeGreaterThan(0);
    expect(out.sharedErrorClass).toBe(true);
    expect(out).toMatchObject({ flushed: "complete", bySignal: { logs: 1, spans: 1 }, violations: 0, delivered: 2 });
  });

  it("loads neither protobuf-es nor the contract's file descriptors for the root export and a default client (start-up time)", () => {
    const r = run(["bench/support/import-footprint.mjs"]);
    expect(r.status, r.stderr).toBe(0);
    const urls = (JSON.parse(r.stdout) as { esm: string[] }).esm;
    expect(urls).toContain(new URL("dist/runtime/index.js", `file://${repoRoot}`).href);
    expect(urls.filter((u) => u.includes("@bufbuild/"))).toEqual([]);
    const ours = urls.filter((u) => u.startsWith(`file://${repoRoot}dist/`));
    const descriptors = ours.filter((u) => /^\/\/ generated\/.*_pb\.ts$/m.test(readFileSync(fileURLToPath(u), "utf8")));
    expect(descriptors).toEqual([]);
  });

  it("loads no @opentelemetry/core for the root export and a default client (our own W3C propagators; start-up time)", () => {
    const r = run(["bench/support/import-footprint.mjs"]);
    expect(r.status, r.stderr).toBe(0);
    const { esm, cjs } = JSON.parse(r.stdout) as { esm: string[]; cjs: string[] };
    expect(
      cjs.some((f) => f.includes("/@opentelemetry/api/")),
      "the footprint lists CommonJS files",
    ).toBe(true);
    expect([...esm, ...cjs].filter((f) => /[/\\]@opentelemetry[/\\](core|semantic-conventions)[/\\]/.test(f))).toEqual([]);
  });

  it("runs the CLI from its bin", () => {
    const r = run(["dist/runtime/cli/main.js", "--help"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("usage: emp-telemetry <command>");
  });
});
