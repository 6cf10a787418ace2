import { contractAliasTable, contractKeys, type AliasTable } from "../check/alias-table.js";

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

/** What is wrong with a key a record carries: which rule, and why. */
export interface KeyProblem {
  /** `alias-key`: another spelling of a contract key; `unknown-key`: a namespace that is not ours to use. */
  readonly rule: "alias-key" | "unknown-key";
  readonly message: string;
}

/**
 * Why a key is not allowed on a record, or undefined when it is. Allowed: the contract's keys, keys
 * in {@link allowedKeyNamespaces}, and undotted keys, the service's own data as the README writes
 * it (`{ port }`, `child({ component })`), unless one is an alias of a contract key (`jobId` →
 * `emp.job.id`, from `aliases`, default the contract's). A dotted key elsewhere, or an `emp.*` key
 * the contract does not declare, is not.
 */
export function keyProblem(key: string, known: ReadonlySet<string>, aliases: AliasTable = contractAliasTable()): KeyProblem | undefined {
  if (known.has(key)) return undefined;
  const alias = aliases.get(key);
  if (alias !== undefined) return { rule: "alias-key", message: `\`${key}\` spells the contract key \`${alias}\` another way: use \`${alias}\`` };
  if (key.startsWith("emp.")) return { rule: "unknown-key", message: `\`${key}\` is in the contract's emp.* namespace but the contract does not declare it` };
  if (!key.includes(".") || allowedKeyNamespaces.some((ns) => key.startsWith(ns))) return undefined;
  return {
    rule: "unknown-key",
    message: `\`${key}\` is in a namespace that is neither the contract's nor OpenTelemetry's: use app.${key} or a contract key`,
  };
}
