import { TelemetryError } from "./telemetry-error.js";

/**
 * An optional peer dependency (package.json `peerDependenciesMeta: { optional: true }`): a package
 * only some tools need, imported lazily by them, so a service that only logs never installs it.
 */
export interface OptionalDependency {
  /** The npm package, e.g. `ts-morph`. */
  readonly name: string;
  /** What to install, as npm reads it after `@`: `28` means the newest 28.x. Matches the peer range. */
  readonly version: string;
  /** What needs it, for the message: `emp-telemetry check (@emp/telemetry/check)`. */
  readonly neededBy: string;
  /** Whether it is a development tool's dependency, installed with `npm i -D`. */
  readonly dev: boolean;
  /** Its own peers to install beside it, as `name@version` (`@connectrpc/connect@2` beside connect-node). */
  readonly with?: readonly string[];
}

/** The command that installs an optional dependency: `npm i -D ts-morph@28`. */
export function installCommand(dependency: OptionalDependency): string {
  const packages = [`${dependency.name}@${dependency.version}`, ...(dependency.with ?? [])];
  return `npm i ${dependency.dev ? "-D " : ""}${packages.join(" ")}`;
}

/**
 * Thrown (code `dependency_missing`) when a tool needs an optional peer dependency that is not
 * installed. The message names the package, what needs it and the `npm i` command; `cause` is the
 * module loader's error.
 */
export class MissingDependencyError extends TelemetryError {
  override name = "MissingDependencyError";
  /** The missing package. */
  readonly dependency: string;
  /** The command that installs it, e.g. `npm i -D ts-morph@28`. */
  readonly installCommand: string;

  constructor(dependency: OptionalDependency, options?: { cause?: unknown }) {
    const command = installCommand(dependency);
    super(`the optional package ${dependency.name}, used by ${dependency.neededBy}, is not installed: run \`${command}\``, "dependency_missing", options);
    this.dependency = dependency.name;
    this.installCommand = command;
  }
}

/** Node's codes for a module or package that cannot be found (ESM `import`, CommonJS `require`). */
const notFoundCodes: ReadonlySet<unknown> = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);

/** Whether `error` is Node's answer to importing or requiring a module that is not installed. */
export function isModuleNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && notFoundCodes.has(error.code);
}

/**
 * Imports an optional dependency through `load` (normally `() => import("name")`; tests pass a
 * failing one). Rejects with {@link MissingDependencyError} when the module cannot be found, and
 * with the loader's own error otherwise (the package is there but fails to load).
 */
export async function importOptional<T>(dependency: OptionalDependency, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error: unknown) {
    if (isModuleNotFound(error)) throw new MissingDependencyError(dependency, { cause: error });
    throw error;
  }
}
