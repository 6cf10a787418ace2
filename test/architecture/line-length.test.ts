// No line over 160 characters in the hand-written sources: biome formats at 160 columns but cannot
// break a long string or template literal, so this keeps such lines from coming back. generated/ is
// `buf generate` output and is not ours to wrap.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const maxLineLength = 160;

/** Git-tracked .ts and .mjs files outside generated/, relative to the repository root. */
function handWrittenSources(): string[] {
  const tracked = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.mjs"], { cwd: repoRoot, encoding: "utf8" });
  return tracked
    .split("\0")
    .filter((file) => file !== "" && !file.startsWith("generated/"))
    .filter((file) => existsSync(join(repoRoot, file)));
}

/** `file:line: N characters` for every line of `file` longer than {@link maxLineLength} (in code points). */
function longLines(file: string): string[] {
  const lines = readFileSync(join(repoRoot, file), "utf8").split(/\r?\n/);
  return lines.flatMap((line, i) => {
    const length = [...line].length;
    return length > maxLineLength ? [`${file}:${String(i + 1)}: ${String(length)} characters`] : [];
  });
}

describe("line length", () => {
  it(`no hand-written .ts or .mjs line is over ${String(maxLineLength)} characters (wrap long literals into parts)`, () => {
    const files = handWrittenSources();
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(longLines)).toEqual([]);
  });
});
