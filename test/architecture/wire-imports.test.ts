/** `runtime/wire` is the bottom layer: it may import node: builtins and npm packages, nothing else of ours. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const wire = path.join(root, "runtime", "wire");

/** Module specifiers of static imports and re-exports, side-effect imports and dynamic `import("…")`. */
function specifiersOf(source: string): string[] {
  const patterns = [/\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.isFile() && entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Why `specifier` in `file` reaches outside the wire layer, or `undefined` when it does not. */
function escapesWire(file: string, specifier: string): string | undefined {
  if (specifier.startsWith(".")) {
    const target = path.resolve(path.dirname(file), specifier);
    return target.startsWith(wire + path.sep) ? undefined : `${path.relative(root, target)} is outside runtime/wire`;
  }
  if (specifier.startsWith("/") || specifier.startsWith("#")) return "an absolute or package-internal path";
  return undefined; // node: builtins and npm packages
}

describe("runtime/wire", () => {
  it("finds import specifiers of every kind (the check below would pass vacuously otherwise)", () => {
    const source = [
      `import { a } from "../x.js";`,
      `import type { B } from "./b.js";`,
      `export { c } from "../../c.js";`,
      `import "./side.js";`,
      `const d = await import("../d.js");`,
    ].join("\n");
    expect(specifiersOf(source)).toEqual(["../x.js", "./b.js", "../../c.js", "./side.js", "../d.js"]);
  });

  it("imports nothing of ours from outside runtime/wire", () => {
    const files = sourceFiles(wire);
    expect(files.length).toBeGreaterThan(5);
    const escapes = files.flatMap((file) =>
      specifiersOf(readFileSync(file, "utf8")).flatMap((specifier) => {
        const why = escapesWire(file, specifier);
        return why === undefined ? [] : [`${path.relative(root, file)} imports "${specifier}": ${why}`];
      }),
    );
    expect(escapes).toEqual([]);
  });
});
