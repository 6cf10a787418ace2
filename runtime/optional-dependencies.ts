// The optional peer dependencies (package.json `peerDependenciesMeta`): packages only some tools
// need, imported lazily by them, so that a service that only logs installs none of them. Each
// loader rejects with MissingDependencyError (code `dependency_missing`) naming the `npm i` command.
import { importOptional, type OptionalDependency } from "./errors/missing-dependency-error.js";

/** The optional peer dependencies, with what needs each. test/package checks them against package.json. */
export const optionalDependencies = Object.freeze({
  /** The TypeScript compiler API the static check runs on (13 MB with the compiler); usually a devDependency. */
  tsMorph: Object.freeze<OptionalDependency>({ name: "ts-morph", version: "28", neededBy: "emp-telemetry check (@emp/telemetry/check)", dev: true }),
  /**
   * ConnectRPC for Node: the health service (`@emp/telemetry/health-service`, `client.serveHealth()`),
   * the local collector's OTLP/gRPC input (`emp-telemetry dev`, contract tests) and `doctor --service`.
   * A peer, so a service that mounts the health handler in its own Connect server shares its copy.
   */
  connect: Object.freeze<OptionalDependency>({
    name: "@connectrpc/connect-node",
    version: "2",
    with: Object.freeze(["@connectrpc/connect@2"]),
    neededBy: "the health service, the local collector's OTLP/gRPC input and `emp-telemetry doctor --service`",
    dev: false,
  }),
});

/** ts-morph, imported on the first check. `load` is the import itself, replaceable in tests. */
export function loadTsMorph(load: () => Promise<typeof import("ts-morph")> = () => import("ts-morph")): Promise<typeof import("ts-morph")> {
  return importOptional(optionalDependencies.tsMorph, load);
}

/** `@connectrpc/connect-node` (servers and the Node transport). `load` is replaceable in tests. */
export function loadConnectNode(
  load: () => Promise<typeof import("@connectrpc/connect-node")> = () => import("@connectrpc/connect-node"),
): Promise<typeof import("@connectrpc/connect-node")> {
  return importOptional(optionalDependencies.connect, load);
}

/** `@connectrpc/connect` (the client). `load` is replaceable in tests. */
export function loadConnect(load: () => Promise<typeof import("@connectrpc/connect")> = () => import("@connectrpc/connect")): Promise<typeof import("@connectrpc/connect")> {
  return importOptional(optionalDependencies.connect, load);
}
