// writeFluentBitConfig: atomic writes, the classic parsers file, no rewrite or signal when unchanged, failures as results.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderFluentBitConfig, renderFluentBitParsers } from "../../../runtime/daemon-config/fluent-bit/render-config.js";
import { writeFluentBitConfig } from "../../../runtime/daemon-config/fluent-bit/write-config.js";
import type { FluentBitConfigInput } from "../../../runtime/daemon-config/fluent-bit/fluent-bit-config-input.js";
import { tempDir } from "../../helpers/daemons.js";

const temp = tempDir("fluent-bit-write-");
afterAll(() => temp.remove());

function input(name: string): FluentBitConfigInput {
  return {
    files: [{ path: path.join(temp.dir, name, "logs", "*.log"), tag: "app.api" }],
    stateDir: path.join(temp.dir, name, "state"),
    target: { protocol: "forward", host: "127.0.0.1", port: 24224 },
  };
}

describe("writeFluentBitConfig", () => {
  it("writes the classic main and parsers files, creates the state dir and leaves no temporary file", async () => {
    const configPath = path.join(temp.dir, "classic", "etc", "fluent-bit.conf");
    const result = await writeFluentBitConfig({ configPath, input: input("classic"), format: "classic" });
    const parsersPath = path.join(temp.dir, "classic", "state", "emp-parsers.conf");
    expect(result).toEqual({ status: "ok", changed: true, reloadSignalled: false, files: [configPath, parsersPath] });
    expect(readFileSync(configPath, "utf8")).toBe(renderFluentBitConfig(input("classic"), "classic"));
    expect(readFileSync(parsersPath, "utf8")).toBe(renderFluentBitParsers(input("classic")));
    expect(readdirSync(path.dirname(configPath))).toEqual(["fluent-bit.conf"]);
    expect(readdirSync(path.join(temp.dir, "classic", "state"))).toEqual(["emp-parsers.conf"]);
  });

  it("neither rewrites nor signals when nothing changed", async () => {
    const configPath = path.join(temp.dir, "same", "fluent-bit.yaml");
    expect((await writeFluentBitConfig({ configPath, input: input("same"), format: "yaml" })).status).toBe("ok");
    // A PID that cannot exist: signalling it would fail, so `ok` proves no signal was attempted.
    expect(await writeFluentBitConfig({ configPath, input: input("same"), format: "yaml", pid: 2 ** 30 })).toMatchObject({
      status: "ok",
      changed: false,
      reloadSignalled: false,
    });
  });

  it("replaces a changed config whole", async () => {
    const configPath = path.join(temp.dir, "changed", "fluent-bit.yaml");
    mkdirSync(path.dirname(configPath), { recursive: true });
    writeFileSync(configPath, "old contents, much longer than anything it will be replaced by ".repeat(500));
    expect(await writeFluentBitConfig({ configPath, input: input("changed"), format: "yaml" })).toMatchObject({ status: "ok", changed: true });
    expect(readFileSync(configPath, "utf8")).toBe(renderFluentBitConfig(input("changed"), "yaml"));
  });

  it("reports a Fluent Bit that is gone as failed unavailable, after writing", async () => {
    const configPath = path.join(temp.dir, "gone", "fluent-bit.yaml");
    const result = await writeFluentBitConfig({ configPath, input: input("gone"), format: "yaml", pid: 2 ** 30 });
    expect(result.status === "failed" ? result.error.code : result.status).toBe("unavailable");
    expect(readFileSync(configPath, "utf8")).toBe(renderFluentBitConfig(input("gone"), "yaml"));
  });

  it("reports an unwritable path as failed unavailable", async () => {
    const blocker = path.join(temp.dir, "blocker");
    writeFileSync(blocker, "a file where a directory should be");
    const result = await writeFluentBitConfig({ configPath: path.join(blocker, "fluent-bit.yaml"), input: input("blocked"), format: "yaml" });
    expect(result.status === "failed" ? result.error.code : result.status).toBe("unavailable");
  });
});
