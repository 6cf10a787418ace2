import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** Extensions of the files `checkProject` reads. Declaration files (`.d.ts`) are skipped. */
export const sourceExtensions: readonly string[] = Object.freeze([".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]);

const isSource = (name: string): boolean => sourceExtensions.some((e) => name.endsWith(e)) && !/\.d\.[cm]?ts$/.test(name);

/**
 * Reads every source file under `dir` into a map of `/`-separated relative path → text, in sorted
 * order. Directories named in `skipDirs` and dot-directories are not entered; symbolic links are
 * not followed. Rejects when `dir` cannot be read; a file that vanishes meanwhile is skipped.
 */
export async function readSourceFiles(dir: string, skipDirs: ReadonlySet<string>): Promise<Map<string, string>> {
  const files: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (!skipDirs.has(entry.name) && !entry.name.startsWith(".")) await walk(path);
      } else if (entry.isFile() && isSource(entry.name)) files.push(path);
    }
  };
  await walk(dir);
  const sources = new Map<string, string>();
  for (const path of files.sort()) {
    try {
      sources.set(relative(dir, path).split(sep).join("/"), await readFile(path, "utf8"));
    } catch (error: unknown) {
      if ((error as { code?: unknown }).code !== "ENOENT") throw error;
    }
  }
  return sources;
}
