import type { Node } from "ts-morph";
import { contractAliasTable } from "./alias-table.js";
import { type CheckFinding, type CheckReport, type CheckRuleId, checkRuleIds, createCheckReport } from "./check-report.js";
import { aliasKey } from "./rules/alias-key.js";
import type { CheckRule } from "./rules/rule-context.js";
import { secretInLog } from "./rules/secret-in-log.js";
import { unawaitedSpan } from "./rules/unawaited-span.js";
import { unknownEventName } from "./rules/unknown-event-name.js";
import { readSourceFiles } from "./source-files.js";
import { findTelemetryCalls } from "./telemetry-calls.js";
import { loadTsMorph } from "../package/optional-dependencies.js";

/** Options of `checkProject` and `checkSources`. */
export interface CheckProjectOptions {
  /** The rules to run. Default: all of them. */
  rules?: readonly CheckRuleId[];
  /** Directory names never entered (at any depth). Default `node_modules`, `dist`; dot-directories are always skipped. */
  skipDirs?: readonly string[];
}

/** The defaults of {@link CheckProjectOptions}. */
export const checkProjectDefaults: Readonly<Required<CheckProjectOptions>> = Object.freeze({
  rules: checkRuleIds,
  skipDirs: Object.freeze(["node_modules", "dist"]),
});

const rules: Readonly<Record<CheckRuleId, CheckRule>> = {
  "unknown-event-name": unknownEventName,
  "alias-key": aliasKey,
  "secret-in-log": secretInLog,
  "unawaited-span": unawaitedSpan,
};

/**
 * Checks options and fills the defaults (an option set to `undefined` takes its default).
 * @throws TypeError naming an unknown option key or rule id.
 */
export function resolveCheckProjectOptions(options?: CheckProjectOptions): Readonly<Required<CheckProjectOptions>> {
  if (options === undefined) return checkProjectDefaults;
  const unknownKeys = Object.keys(options).filter((k) => !(k in checkProjectDefaults));
  if (unknownKeys.length > 0) throw new TypeError(`checkProject: unknown option ${unknownKeys.map((k) => `\`${k}\``).join(", ")} (known: rules, skipDirs)`);
  const unknownRules = (options.rules ?? []).filter((r) => !checkRuleIds.includes(r));
  if (unknownRules.length > 0)
    throw new TypeError(`checkProject: unknown rule ${unknownRules.map((r) => `\`${r}\``).join(", ")} (known: ${checkRuleIds.join(", ")})`);
  return { rules: options.rules ?? checkProjectDefaults.rules, skipDirs: options.skipDirs ?? checkProjectDefaults.skipDirs };
}

/**
 * Statically checks how a service uses the telemetry client: reads every `.ts`, `.tsx`, `.mts`,
 * `.cts`, `.js`, `.jsx`, `.mjs` and `.cjs` file under `dir` (not `.d.ts`; not under `node_modules`,
 * `dist` or dot-directories) into an in-memory ts-morph project and runs the rules
 * `unknown-event-name`, `alias-key`, `secret-in-log` and `unawaited-span` on the client calls it
 * recognises (see `findTelemetryCalls`). Nothing is written and no compiler options of the service
 * are read; the files' own imports stay unresolved.
 *
 * ts-morph (an optional peer dependency) is imported on the first call only, so importing the runtime
 * does not load the compiler; without it the check rejects with a `MissingDependencyError`
 * (code `dependency_missing`) naming `npm i -D ts-morph@28`.
 *
 * Rejects with a TypeError for unknown options, and with the file-system error when `dir` cannot be read.
 */
export async function checkProject(dir: string, options?: CheckProjectOptions): Promise<CheckReport> {
  const resolved = resolveCheckProjectOptions(options);
  const sources = await readSourceFiles(dir, new Set(resolved.skipDirs));
  return checkSources(sources, resolved, dir);
}

/**
 * Runs the checks on sources already in memory (`/`-separated relative path → text), as
 * `checkProject` does after reading the directory; `dir` is only echoed in the report.
 * Rejects with a TypeError for unknown options.
 */
export async function checkSources(sources: ReadonlyMap<string, string>, options?: CheckProjectOptions, dir = "."): Promise<CheckReport> {
  const resolved = resolveCheckProjectOptions(options);
  const morph = await loadTsMorph();
  const project = new morph.Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      allowJs: true,
      checkJs: false,
      strict: true,
      noEmit: true,
      target: morph.ts.ScriptTarget.ES2022,
      module: morph.ts.ModuleKind.NodeNext,
      jsx: morph.ts.JsxEmit.Preserve,
    },
  });
  const files = [...sources].map(([path, text]) => ({ path, file: project.createSourceFile(`/project/${path}`, text, { overwrite: true }) }));
  const aliases = contractAliasTable();
  const findings: CheckFinding[] = [];
  for (const { path, file } of files) {
    const calls = findTelemetryCalls(morph, file);
    if (calls.length === 0) continue;
    const ctx = {
      morph,
      file,
      calls,
      aliases,
      report(node: Node, f: Pick<CheckFinding, "rule" | "severity" | "message" | "suggestion">): void {
        const { line, column } = file.getLineAndColumnAtPos(node.getStart());
        findings.push({ file: path, line, column, ...f });
      },
    };
    for (const id of resolved.rules) rules[id](ctx);
  }
  return createCheckReport(dir, files.length, findings);
}
