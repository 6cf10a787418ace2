// The queue keeps one hidden class from construction on (see ByteBoundedQueue's constructor): checked
// with V8's own map comparison in a child process (natives syntax).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const child = join(dirname(fileURLToPath(import.meta.url)), "../helpers/hidden-class-child.ts");

describe("ByteBoundedQueue's hidden class", () => {
  it("stays the same through offers, polls, holds, growth, wrapping and clear", () => {
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--import", "tsx", child], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ offers: true, polls: true, "hold and release": true, "growth and wrapping": true, clear: true });
  });
});
