import { importOptional, type OptionalDependency } from "../errors/missing-dependency-error.js";
import type { Morph } from "./telemetry-calls.js";

/**
 * ts-morph, the TypeScript compiler API the check runs on: an optional peer dependency (13 MB with
 * the compiler), installed by the services that run `emp-telemetry check`, usually as a devDependency.
 */
export const tsMorphDependency: OptionalDependency = Object.freeze({
  name: "ts-morph",
  version: "28",
  neededBy: "emp-telemetry check (@emp/telemetry/check)",
  dev: true,
});

/**
 * Imports ts-morph on the first check, so importing the runtime never loads the compiler.
 * `load` is the import itself, replaceable in tests.
 * Rejects with `MissingDependencyError` (code `dependency_missing`, naming `npm i -D ts-morph@28`) when it is not installed.
 */
export function loadTsMorph(load: () => Promise<Morph> = () => import("ts-morph")): Promise<Morph> {
  return importOptional(tsMorphDependency, load);
}
