// Issue 13 item 15: log.addFile takes anything without throwing: each bad call is counted and diagnosed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/client-harness.js";

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function hostile(): object {
  const boom = (): never => {
    throw Object.create(null); // not even an Error
  };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom });
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe("log.addFile with hostile arguments", () => {
  it("counts every bad path or option as an addFile problem, diagnoses it, and never throws", async () => {
    const lines: string[] = [];
    h = await startHarness({ serviceName: "api-server", serviceType: "api", debug: true, diagnosticsWriter: (l) => lines.push(l) });
    const dir = mkdtempSync(join(tmpdir(), "emp-addfile-"));
    dirs.push(dir);
    const calls: [unknown, unknown][] = [
      [Object.create(null), undefined],
      [hostile(), undefined],
      [revoked(), undefined],
      [Symbol("file"), undefined],
      [null, undefined],
      [42, undefined],
      ["", undefined],
      [join(dir, "nul\0byte.log"), undefined],
      [join(dir, "a.log"), hostile()],
      [join(dir, "b.log"), revoked()],
      [join(dir, "c.log"), { tag: Object.create(null) }],
      [join(dir, "d.log"), { tag: "" }],
    ];
    for (const [path, options] of calls) expect(() => h!.client.log.addFile(path as never, options as never)).not.toThrow();
    expect(h.client.health().addFileProblems).toBe(calls.length);
    expect(lines.filter((l) => l.includes("log.addFile"))).toHaveLength(calls.length);
    expect(lines.join("")).toContain("[unprintable object]");
    // The client still works, and a good file added afterwards gets the entries.
    const good = join(dir, "good.log");
    h.client.log.addFile(good, { tag: "app.good" });
    h.client.log.info("still here");
    await h.client.flush(5000);
    expect(readFileSync(good, "utf8")).toContain("still here");
    expect(h.client.health().addFileProblems).toBe(calls.length);
  });
});
