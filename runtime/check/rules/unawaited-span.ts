import type { CallExpression, Node } from "ts-morph";
import type { RuleContext } from "./rule-context.js";

/** Promise methods that keep the chain going; `catch` and two-argument `then` handle the rejection. */
const chainMethods: ReadonlySet<string> = new Set(["then", "catch", "finally"]);

/**
 * Rule `unawaited-span`: an error when the promise of `trace.span(name, fn)` with an async `fn`
 * (an `async` function, or one whose return type has `then`), or of `startup.phase` or
 * `job.process` (which always return a promise), floats: its value is discarded by an expression
 * statement, directly or through `.then`/`.finally` chains, `&&`/`||`/`??`, `?:` and parentheses.
 * Then the span may end after its caller returned, and a rejection is unhandled.
 *
 * Not floating: `await`, `return`, an arrow's expression body, assignment to a variable or
 * property, an argument (`Promise.all([...])`), an array element, a `.catch(...)` or two-argument
 * `.then(...)` handler, and `void` (an explicit "fire and forget"). Limit: a promise returned from a
 * callback whose caller discards it (`items.forEach((i) => trace.span(..., async () => ...))`) is
 * not reported.
 */
export function unawaitedSpan(ctx: RuleContext): void {
  for (const t of ctx.calls) {
    if (t.kind !== "span" && t.kind !== "phase" && t.kind !== "job") continue;
    if (t.kind === "span" && !returnsPromise(ctx, t.call.getArguments()[1])) continue;
    if (!isFloating(ctx, t.call)) continue;
    ctx.report(t.call, {
      rule: "unawaited-span",
      severity: "error",
      message:
        `the promise of \`${t.receiver}.${t.method}(...)\` is not awaited, returned or passed on: ` +
        "its rejection is unhandled and the work outlives the caller's span",
      suggestion: `\`await ${t.receiver}.${t.method}(...)\` (or return it; \`void\` if fire-and-forget is really meant)`,
    });
  }
}

/** Whether a callback is async or returns a thenable (by its declared or inferred type). */
function returnsPromise(ctx: RuleContext, fn: Node | undefined): boolean {
  if (fn === undefined) return false;
  const { Node: N } = ctx.morph;
  if ((N.isArrowFunction(fn) || N.isFunctionExpression(fn)) && fn.isAsync()) return true;
  for (const signature of fn.getType().getCallSignatures()) {
    const returned = signature.getReturnType();
    if (returned.isAny() || returned.isUnknown()) continue;
    if (returned.getProperty("then") !== undefined) return true;
    if (returned.isUnion() && returned.getUnionTypes().some((u) => u.getProperty("then") !== undefined)) return true;
  }
  return false;
}

/** Whether the value of `call` ends up discarded by an expression statement. */
function isFloating(ctx: RuleContext, call: CallExpression): boolean {
  const { Node: N } = ctx.morph;
  let node: Node = call;
  for (;;) {
    const parent = node.getParent();
    if (parent === undefined) return false;
    if (N.isParenthesizedExpression(parent) || N.isAsExpression(parent) || N.isSatisfiesExpression(parent) || N.isNonNullExpression(parent)) {
      node = parent;
      continue;
    }
    if (N.isPropertyAccessExpression(parent) && parent.getExpression() === node && chainMethods.has(parent.getName())) {
      const chained = parent.getParent();
      if (chained === undefined || !N.isCallExpression(chained) || chained.getExpression() !== parent) return false;
      if (parent.getName() === "catch" || (parent.getName() === "then" && chained.getArguments().length >= 2)) return false;
      node = chained;
      continue;
    }
    if (N.isBinaryExpression(parent) && ["&&", "||", "??", ","].includes(parent.getOperatorToken().getText())) {
      node = parent;
      continue;
    }
    if (N.isConditionalExpression(parent) && parent.getCondition() !== node) {
      node = parent;
      continue;
    }
    return N.isExpressionStatement(parent);
  }
}
