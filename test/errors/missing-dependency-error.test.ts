import { describe, expect, it } from "vitest";
import { TelemetryError } from "../../runtime/errors/telemetry-error.js";
import { importOptional, installCommand, MissingDependencyError, type OptionalDependency } from "../../runtime/errors/missing-dependency-error.js";

const widget: OptionalDependency = { name: "left-pad", version: "1", neededBy: "the widget tool", dev: false };

/** What Node's ESM loader rejects with when a package is not installed. */
function moduleNotFound(name: string, code = "ERR_MODULE_NOT_FOUND"): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/index.js`), { code });
}

describe("MissingDependencyError", () => {
  it("names the package, what needs it and the npm command, with the stable code dependency_missing", () => {
    const error = new MissingDependencyError(widget);
    expect(error).toBeInstanceOf(TelemetryError);
    expect(error.name).toBe("MissingDependencyError");
    expect(error.code).toBe("dependency_missing");
    expect(error.dependency).toBe("left-pad");
    expect(error.installCommand).toBe("npm i left-pad@1");
    expect(error.message).toBe("the optional package left-pad, used by the widget tool, is not installed: run `npm i left-pad@1`");
  });

  it("installs a development tool's dependency with -D", () => {
    expect(installCommand({ ...widget, dev: true })).toBe("npm i -D left-pad@1");
  });
});

describe("importOptional", () => {
  it("resolves with the module the loader imports", async () => {
    const module = { pad: () => "x" };
    await expect(importOptional(widget, () => Promise.resolve(module))).resolves.toBe(module);
  });

  it("rejects with MissingDependencyError, keeping the loader's error as cause, when the module is not found (ESM and CommonJS)", async () => {
    for (const code of ["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]) {
      const notFound = moduleNotFound("left-pad", code);
      const error: unknown = await importOptional(widget, () => Promise.reject(notFound)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingDependencyError);
      expect(error).toMatchObject({ code: "dependency_missing", installCommand: "npm i left-pad@1", cause: notFound });
    }
  });

  it("passes any other failure through unchanged (the package is there but fails to load)", async () => {
    const broken = new SyntaxError("Unexpected token");
    await expect(importOptional(widget, () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it("recognises a real failed import of a package that is not installed", async () => {
    const name = "emp-telemetry-no-such-package";
    const error: unknown = await importOptional({ ...widget, name }, () => import(/* @vite-ignore */ name)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "dependency_missing", dependency: name });
  });
});
