// Folder index.ts files exist only as the package's entry points (the `exports` map), and our own
// modules never import one: inside the package, code imports the module that declares a name.
// The examples are written as a service would write them, against the entry points.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildImportGraph } from "./import-graph.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, "utf8")) as { exports: Record<string, string | { default: string }> };
const entrySources = Object.values(pkg.exports)
  .map((e) => (typeof e === "string" ? e : e.default))
  .filter((p) => p.startsWith("./dist/runtime/"))
  .map((p) => p.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"));
const graph = buildImportGraph(repoRoot, ["runtime", "test", "bench", "examples"]);
const isIndex = (file: string) => /(^|\/)index\.ts$/.test(file);

describe("entry points", () => {
  it("every index.ts under runtime/ is an entry point of the exports map", () => {
    const indexes = [...graph.keys()].filter((f) => f.startsWith("runtime/") && isIndex(f));
    expect(indexes.filter((f) => !entrySources.includes(f))).toEqual([]);
    expect(entrySources.every((f) => graph.has(f))).toBe(true);
  });

  it(
    "no module of ours imports an entry point; tests and benchmarks import modules directly " +
      "(examples and the package's own tests use the entry points as a service does)",
    () => {
      const offenders = [...graph]
        .filter(([from]) => !from.startsWith("test/package/") && !from.startsWith("examples/"))
        .flatMap(([from, tos]) => tos.filter((to) => to.startsWith("runtime/") && isIndex(to)).map((to) => `${from} → ${to}`));
      expect(offenders).toEqual([]);
    },
  );
});
