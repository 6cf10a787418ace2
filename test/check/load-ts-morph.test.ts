import { describe, expect, it } from "vitest";
import { MissingDependencyError } from "../../runtime/errors/missing-dependency-error.js";
import { loadTsMorph } from "../../runtime/check/load-ts-morph.js";

describe("loadTsMorph", () => {
  it("imports ts-morph when it is installed", async () => {
    const morph = await loadTsMorph();
    expect(typeof morph.Project).toBe("function");
  });

  it("rejects with dependency_missing naming `npm i -D ts-morph@28` when ts-morph is not installed", async () => {
    const notFound = Object.assign(new Error("Cannot find package 'ts-morph'"), { code: "ERR_MODULE_NOT_FOUND" });
    const error: unknown = await loadTsMorph(() => Promise.reject(notFound)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error).toMatchObject({ code: "dependency_missing", dependency: "ts-morph", installCommand: "npm i -D ts-morph@28" });
    expect((error as Error).message).toContain("emp-telemetry check (@emp/telemetry/check) needs the optional package ts-morph");
  });
});
