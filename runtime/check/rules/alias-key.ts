import { keyedObjects, staticPropertyName } from "../telemetry-calls.js";
import type { RuleContext } from "./rule-context.js";

/**
 * Rule `alias-key`: a key of log data, `child` bindings, `trace.span` attributes or `trace.event`
 * attributes that is an alias of a contract key (`jobId`, `job_id`, `emp.job_id` for `emp.job.id`;
 * see `buildAliasTable`) is an error: the targets would hold two spellings of one concept.
 * Only the top-level keys of object literals written at the call, or of a same-file variable
 * initialised with one, are read; spreads and computed keys are skipped.
 */
export function aliasKey(ctx: RuleContext): void {
  for (const t of ctx.calls) {
    for (const object of keyedObjects(ctx.morph, t)) {
      for (const property of object.getProperties()) {
        const named = staticPropertyName(ctx.morph, property);
        if (named === undefined) continue;
        const key = ctx.aliases.get(named.name);
        if (key === undefined) continue;
        const shorthand = ctx.morph.Node.isShorthandPropertyAssignment(property);
        ctx.report(named.node, {
          rule: "alias-key",
          severity: "error",
          message: `\`${named.name}\` is an alias of the contract key \`${key}\``,
          suggestion: shorthand ? `use \`${key}\`: \`"${key}": ${named.name}\`` : `use \`${key}\``,
        });
      }
    }
  }
}
