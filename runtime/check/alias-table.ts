import { type DescFile, getOption, hasOption } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import * as contract from "../../generated/index.js";

/** Alias → the one contract key it spells differently (`jobId` → `emp.job.id`). */
export type AliasTable = ReadonlyMap<string, string>;

/** The namespace of our own keys; aliases also come without it (`job.id` for `emp.job.id`). */
const ownNamespace = "emp";
/** Words written in capitals inside camelCase (`jobID`). */
const acronyms: ReadonlySet<string> = new Set(["id", "url", "http"]);

/**
 * Every key of the contract: the `key` and `fluentKey` of each field's `(emp.telemetry.v1.mapping)`
 * option, read from the descriptors at run time with `getOption`. Sorted, without duplicates.
 */
export function contractKeys(): readonly string[] {
  const keys = new Set<string>();
  for (const file of Object.values(contract)) {
    if (!isContractFile(file)) continue;
    for (const type of nestedTypes(file)) {
      if (type.kind !== "message") continue;
      for (const field of type.fields) {
        if (!hasOption(field, contract.mapping)) continue;
        const m = getOption(field, contract.mapping);
        if (m.key !== "") keys.add(m.key);
        if (m.fluentKey !== "") keys.add(m.fluentKey);
      }
    }
  }
  return [...keys].sort();
}

function isContractFile(value: unknown): value is DescFile {
  return (
    typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "file" && (value as DescFile).name.startsWith("emp/telemetry/v1/")
  );
}

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const camel = (words: readonly string[]): string => words.map((w, i) => (i === 0 ? w : cap(w))).join("");
const camelAcronyms = (words: readonly string[]): string => words.map((w, i) => (i === 0 ? w : acronyms.has(w) ? w.toUpperCase() : cap(w))).join("");

/** The spellings people write for one run of key segments (`["job", "id"]`). */
function spellings(segments: readonly string[]): string[] {
  const words = segments.flatMap((s) => s.split("_")).filter((w) => w !== "");
  const snake = words.join("_");
  return [segments.join("."), words.join("."), snake, snake.toUpperCase(), words.join("-"), camel(words), camelAcronyms(words), cap(camel(words))];
}

/**
 * The aliases of each key, generated mechanically from its segments:
 *
 * - for a dotted key, every tail of two or more segments (after the `emp.` namespace) spelled
 *   dotted, snake_case, SCREAMING_SNAKE, kebab-case, camelCase, camelCase with acronyms in
 *   capitals (`jobID`) and PascalCase: `emp.job.id` → `job.id`, `job_id`, `JOB_ID`, `job-id`,
 *   `jobId`, `jobID`, `JobId`; `service.instance.id` → `instance_id`, `instanceId`, ...;
 * - for an `emp.*` key, also the namespaced forms `emp.job_id`, `emp_job_id`, `emp.jobId`, `empJobId`;
 * - for an undotted key of several words, its camelCase forms (`trace_id` → `traceId`).
 *
 * One-segment tails are never aliases (`id`, `type`, `latency_ms` mean too many things). An alias
 * that spells two different keys is dropped as ambiguous, and no key of `keys` is ever an alias.
 */
export function buildAliasTable(keys: Iterable<string>): AliasTable {
  const all = new Set(keys);
  const candidates = new Map<string, Set<string>>();
  const add = (alias: string, key: string): void => {
    if (alias === "" || all.has(alias)) return;
    let targets = candidates.get(alias);
    if (targets === undefined) candidates.set(alias, (targets = new Set()));
    targets.add(key);
  };
  for (const key of all) {
    const own = key.startsWith(`${ownNamespace}.`);
    const segments = (own ? key.slice(ownNamespace.length + 1) : key).split(".");
    if (segments.length === 1 && !own) {
      const words = key.split("_");
      if (words.length > 1) for (const a of [camel(words), camelAcronyms(words), cap(camel(words))]) add(a, key);
      continue;
    }
    for (let n = 2; n <= segments.length; n++) for (const a of spellings(segments.slice(-n))) add(a, key);
    if (own) {
      const words = segments.flatMap((s) => s.split("_"));
      for (const a of [
        `${ownNamespace}.${segments.join("_")}`,
        `${ownNamespace}_${words.join("_")}`,
        `${ownNamespace}.${camel(words)}`,
        camel([ownNamespace, ...words]),
      ])
        add(a, key);
    }
  }
  const table = new Map<string, string>();
  for (const [alias, targets] of [...candidates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (targets.size === 1) table.set(alias, [...targets][0]!);
  }
  return table;
}

let cached: AliasTable | undefined;

/** The alias table of the contract's keys (`buildAliasTable(contractKeys())`), built once. */
export function contractAliasTable(): AliasTable {
  return (cached ??= buildAliasTable(contractKeys()));
}
