// No import cycles between our modules, type-only ones included: each folder's imports point one way.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { areaOf, buildImportGraph, collapseGraph, exampleCycle, importCycles, staticImportSpecifiers } from "./import-graph.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const graph = buildImportGraph(repoRoot, ["runtime", "codegen", "generated"]);

describe("import graph", () => {
  it("has no cycle among the files of runtime/, codegen/ and generated/ (static imports and re-exports, type-only included)", () => {
    const cycles = importCycles(graph).map((files) => `${files.length} files: ${files.join(", ")}\n  e.g. ${exampleCycle(graph, files)}`);
    expect(cycles, `import cycles:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("has no cycle among folders (runtime/config, runtime/transports, codegen...): imports between them point one way", () => {
    const areas = collapseGraph(graph, areaOf);
    const cycles = importCycles(areas.graph).map((folders) => {
      const edges = folders.flatMap((from) => (areas.graph.get(from) ?? []).filter((to) => folders.includes(to)).map((to) => `${from} → ${to}`));
      return `${folders.join(", ")}\n${edges.map((edge) => `  ${edge} (e.g. ${areas.why.get(edge) ?? ""})`).join("\n")}`;
    });
    expect(cycles, `folder import cycles:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("finds a cycle through a type-only import and a re-export", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts", "d.ts"]],
    ]);
    expect(importCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"], ["d.ts"]]);
    expect(exampleCycle(graph, ["a.ts", "b.ts", "c.ts"])).toBe("a.ts → b.ts → c.ts → a.ts");
  });

  it("reads static imports and re-exports, not dynamic imports or imports inside strings and comments", () => {
    const source = [
      'import type { A } from "./a.js";',
      'import {\n  b,\n  type B,\n} from "./b.js";',
      'import "./side-effect.js";',
      'export * from "./c.js";',
      'export type { D } from "./d.js";',
      'export { e as f } from "./e.js";',
      'const lazy = () => import("./lazy.js");',
      '// import { x } from "./commented.js";',
      'const code = `import { y } from "./in-template.js";\\n${f("./in-expression.js")}`;',
      'const re = /from "\\.\\/in-regex.js"/;',
      'const half = `${n}` / 2, third = `${n}px`.length / 3, quarter = `4` / 4, slash = "/";',
      'export type * from "./g.js";',
      "export const h = 1;",
    ].join("\n");
    expect(staticImportSpecifiers(source)).toEqual(["./a.js", "./b.js", "./side-effect.js", "./c.js", "./d.js", "./e.js", "./g.js"]);
  });
});
