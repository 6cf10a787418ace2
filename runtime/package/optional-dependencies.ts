// The optional peer dependencies (package.json `peerDependenciesMeta`): packages only some tools
// need, imported lazily by them, so that a service that only logs installs none of them. Each
// loader rejects with MissingDependencyError (code `dependency_missing`) naming the `npm i` command.
import { createRequire } from "node:module";
import type TransportStream from "winston-transport";
import { importOptional, isModuleNotFound, MissingDependencyError, type OptionalDependency } from "../errors/missing-dependency-error.js";

const connectUsers = "OTLP export with protocol grpc, the health service, the local collector's OTLP/gRPC input and `emp-telemetry doctor --service`";

/** The optional peer dependencies, with what needs each. test/package checks them against package.json. */
export const optionalDependencies = Object.freeze({
  /** The TypeScript compiler API the static check runs on (13 MB with the compiler); usually a devDependency. */
  tsMorph: Object.freeze<OptionalDependency>({
    name: "ts-morph",
    version: "28",
    neededBy: "emp-telemetry check (@emp/telemetry/check)",
    dev: true,
  }),
  /**
   * ConnectRPC for Node: OTLP export with protocol `grpc`, the health service (`@emp/telemetry/health-service`, `client.serveHealth()`),
   * the local collector's OTLP/gRPC input (`emp-telemetry dev`, contract tests) and `doctor --service`.
   * A peer, so a service that mounts the health handler in its own Connect server shares its copy.
   */
  connectNode: Object.freeze<OptionalDependency>({
    name: "@connectrpc/connect-node",
    version: "2",
    with: Object.freeze(["@connectrpc/connect@2"]),
    neededBy: connectUsers,
    dev: false,
  }),
  /** ConnectRPC's core, which connect-node needs beside it; see `connectNode`. */
  connect: Object.freeze<OptionalDependency>({
    name: "@connectrpc/connect",
    version: "2",
    with: Object.freeze(["@connectrpc/connect-node@2"]),
    neededBy: connectUsers,
    dev: false,
  }),
  /**
   * winston's transport base class, for the winston bridge only. Every winston install has it
   * (winston depends on it); as a peer, the bridge extends the very class the user's winston uses.
   */
  winstonTransport: Object.freeze<OptionalDependency>({
    name: "winston-transport",
    version: "4",
    neededBy: "the winston bridge (createWinstonTransport)",
    dev: false,
  }),
});

type TsMorph = typeof import("ts-morph");
type ConnectNode = typeof import("@connectrpc/connect-node");
type Connect = typeof import("@connectrpc/connect");

/** ts-morph, imported on the first check. `load` is the import itself, replaceable in tests. */
export function loadTsMorph(load: () => Promise<TsMorph> = () => import("ts-morph")): Promise<TsMorph> {
  return importOptional(optionalDependencies.tsMorph, load);
}

/** `@connectrpc/connect-node` (servers and the Node transport). `load` is replaceable in tests. */
export function loadConnectNode(load: () => Promise<ConnectNode> = () => import("@connectrpc/connect-node")): Promise<ConnectNode> {
  return importOptional(optionalDependencies.connectNode, load);
}

/** `@connectrpc/connect` (the client). `load` is replaceable in tests. */
export function loadConnect(load: () => Promise<Connect> = () => import("@connectrpc/connect")): Promise<Connect> {
  return importOptional(optionalDependencies.connect, load);
}

const requireFromHere = createRequire(import.meta.url);

/**
 * winston-transport's `TransportStream` class, required synchronously (it is CommonJS) because the
 * winston bridge's class extends it when `@emp/telemetry/bridges` loads. When it is not installed,
 * a stand-in class whose constructor throws `MissingDependencyError` (naming `npm i winston-transport@4`),
 * so the entry point still loads for the pino bridge. `load` is replaceable in tests.
 */
export function winstonTransportStream(
  load: () => typeof TransportStream = () => requireFromHere("winston-transport") as typeof TransportStream,
): typeof TransportStream {
  try {
    return load();
  } catch (error: unknown) {
    if (!isModuleNotFound(error)) throw error;
    const missing = class {
      constructor() {
        throw new MissingDependencyError(optionalDependencies.winstonTransport, { cause: error });
      }
    };
    return missing as unknown as typeof TransportStream;
  }
}
