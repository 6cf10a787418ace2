import { describe, expect, it } from "vitest";
import { MissingDependencyError } from "../../runtime/errors/missing-dependency-error.js";
import { loadConnect, loadConnectNode, loadTsMorph, winstonTransportStream } from "../../runtime/package/optional-dependencies.js";

/** What Node's ESM loader rejects with when a package is not installed. */
const notFound = (name: string): Promise<never> =>
  Promise.reject(Object.assign(new Error(`Cannot find package '${name}' imported from /app/dist/chunks/chunk.js`), { code: "ERR_MODULE_NOT_FOUND" }));

describe("loadTsMorph", () => {
  it("imports ts-morph when it is installed", async () => {
    const morph = await loadTsMorph();
    expect(typeof morph.Project).toBe("function");
  });

  it("rejects with dependency_missing naming `npm i -D ts-morph@28` when ts-morph is not installed", async () => {
    const error: unknown = await loadTsMorph(() => notFound("ts-morph")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error).toMatchObject({ code: "dependency_missing", dependency: "ts-morph", installCommand: "npm i -D ts-morph@28" });
    expect((error as Error).message).toContain("the optional package ts-morph, used by emp-telemetry check (@emp/telemetry/check), is not installed");
  });
});

describe("loadConnectNode and loadConnect", () => {
  it("import ConnectRPC when it is installed", async () => {
    expect(typeof (await loadConnectNode()).connectNodeAdapter).toBe("function");
    expect(typeof (await loadConnect()).createClient).toBe("function");
  });

  it("reject with dependency_missing naming both ConnectRPC packages when either is not installed", async () => {
    await expect(loadConnectNode(() => notFound("@connectrpc/connect-node"))).rejects.toMatchObject({
      code: "dependency_missing",
      dependency: "@connectrpc/connect-node",
      installCommand: "npm i @connectrpc/connect-node@2 @connectrpc/connect@2",
    });
    const error: unknown = await loadConnect(() => notFound("@connectrpc/connect")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error).toMatchObject({ dependency: "@connectrpc/connect", installCommand: "npm i @connectrpc/connect@2 @connectrpc/connect-node@2" });
    expect((error as Error).message).toContain(
      `OTLP export with protocol grpc, the health service, the local collector's OTLP/gRPC input and \`emp-telemetry doctor --service\``,
    );
  });
});

describe("winstonTransportStream", () => {
  it("is winston-transport's class when it is installed", async () => {
    const { default: TransportStream } = await import("winston-transport");
    expect(winstonTransportStream()).toBe(TransportStream);
  });

  it("is a stand-in whose constructor throws dependency_missing, naming `npm i winston-transport@4`, when it is not installed", () => {
    const Missing = winstonTransportStream(() => {
      throw Object.assign(new Error("Cannot find module 'winston-transport'"), { code: "MODULE_NOT_FOUND" });
    });
    class Bridge extends Missing {}
    expect(() => new Bridge()).toThrow(MissingDependencyError);
    expect(() => new Bridge()).toThrow("run `npm i winston-transport@4`");
  });

  it("passes any other failure through", () => {
    const broken = new SyntaxError("Unexpected token");
    expect(() =>
      winstonTransportStream(() => {
        throw broken;
      }),
    ).toThrow(broken);
  });
});
