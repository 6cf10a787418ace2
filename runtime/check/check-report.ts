/** The rules of `checkProject`, by id. */
export type CheckRuleId = "unknown-event-name" | "alias-key" | "secret-in-log" | "unawaited-span";

/** Every rule id, in report order. */
export const checkRuleIds: readonly CheckRuleId[] = Object.freeze(["unknown-event-name", "alias-key", "secret-in-log", "unawaited-span"]);

/** How bad a finding is: errors fail the check (non-zero exit), warnings only inform. */
export type CheckSeverity = "error" | "warning";

/** One problem found in a service's source. */
export interface CheckFinding {
  /** Path of the file relative to the checked directory, with `/` separators. */
  readonly file: string;
  /** 1-based line of the offending node. */
  readonly line: number;
  /** 1-based column of the offending node. */
  readonly column: number;
  /** Which rule found it. */
  readonly rule: CheckRuleId;
  /** `error` fails the check; `warning` does not. */
  readonly severity: CheckSeverity;
  /** What is wrong, naming the offending name or key. */
  readonly message: string;
  /** What to write instead. */
  readonly suggestion: string;
}

/**
 * The result of `checkProject`: `status` is `failed` when at least one finding is an error,
 * `passed` otherwise (warnings allowed).
 */
export interface CheckReport {
  /** `failed` when `errorCount > 0`. */
  readonly status: "passed" | "failed";
  /** The checked directory, as given. */
  readonly dir: string;
  /** How many source files were read. */
  readonly filesChecked: number;
  /** Findings sorted by file, line, column and rule. */
  readonly findings: readonly CheckFinding[];
  /** Findings of severity `error`. */
  readonly errorCount: number;
  /** Findings of severity `warning`. */
  readonly warningCount: number;
}

/** Sorts findings and counts them into a report. */
export function createCheckReport(dir: string, filesChecked: number, findings: readonly CheckFinding[]): CheckReport {
  const sorted = [...findings].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || checkRuleIds.indexOf(a.rule) - checkRuleIds.indexOf(b.rule),
  );
  const errorCount = sorted.filter((f) => f.severity === "error").length;
  return { status: errorCount > 0 ? "failed" : "passed", dir, filesChecked, findings: sorted, errorCount, warningCount: sorted.length - errorCount };
}
