import type { Node, SourceFile } from "ts-morph";
import type { AliasTable } from "../alias-table.js";
import type { CheckRuleId, CheckSeverity } from "../check-report.js";
import type { Morph, TelemetryCall } from "../telemetry-calls.js";

/** What a rule sees of one file. */
export interface RuleContext {
  /** The lazily imported ts-morph module. */
  readonly morph: Morph;
  /** The file being checked. */
  readonly file: SourceFile;
  /** The client calls of the file (see `findTelemetryCalls`). */
  readonly calls: readonly TelemetryCall[];
  /** Alias → contract key. */
  readonly aliases: AliasTable;
  /** Records one finding at `node`'s start. */
  report(node: Node, finding: { rule: CheckRuleId; severity: CheckSeverity; message: string; suggestion: string }): void;
}

/** A rule: reports the findings of one file through `ctx.report`. Never throws on odd code; skips what it cannot read. */
export type CheckRule = (ctx: RuleContext) => void;
