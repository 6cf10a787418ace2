import { contractKeys } from "../check/alias-table.js";

/** Every key the contract declares (OTLP and Fluentd keys). */
export function contractKeySet(): ReadonlySet<string> {
  return new Set(contractKeys());
}

/**
 * Namespaces a service may use for its own keys besides the contract's: OpenTelemetry semantic
 * convention namespaces, and `app.*` for everything that is only the service's. `emp.*` belongs to
 * the contract: an `emp.*` key it does not declare is unknown.
 */
export const allowedKeyNamespaces: readonly string[] = Object.freeze([
  "app.",
  "http.",
  "url.",
  "server.",
  "client.",
  "network.",
  "db.",
  "messaging.",
  "rpc.",
  "exception.",
  "code.",
  "thread.",
  "user_agent.",
  "error.",
  "gen_ai.",
  "otel.",
  "telemetry.",
  "process.",
  "host.",
  "service.",
  "deployment.",
  "event.",
  "session.",
  "enduser.",
  "peer.",
  "net.",
  "k8s.",
  "container.",
  "cloud.",
]);

/** Why a key is not allowed on a record, or undefined when it is. */
export function keyProblem(key: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(key)) return undefined;
  if (key.startsWith("emp.")) return `\`${key}\` is in the contract's emp.* namespace but the contract does not declare it`;
  if (allowedKeyNamespaces.some((ns) => key.startsWith(ns))) return undefined;
  return `\`${key}\` is outside the contract's namespaces: use a contract key, a semantic-convention key or app.${key}`;
}
