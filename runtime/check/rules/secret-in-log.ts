import type { Node } from "ts-morph";
import { objectLiteralOf, staticPropertyName, type TelemetryCall, unwrap } from "../telemetry-calls.js";
import type { RuleContext } from "./rule-context.js";

/**
 * Name endings that mark a secret, compared on the name lowercased without `_`, `-` and `.`:
 * `apiKey`, `api_key`, `DASH0_API_KEY`, `token`, `accessToken`, `DASH0_AUTH_TOKEN`, `password`,
 * `secret`, `clientSecret`, `authorization`, `sharedKey`, `FLUENTD_SHARED_KEY`, `privateKey`, ...
 */
const secretEndings: readonly string[] = Object.freeze([
  "apikey",
  "token",
  "password",
  "passwd",
  "secret",
  "authorization",
  "sharedkey",
  "privatekey",
  "credentials",
  "cookie",
]);
/** Prefixes of names that state a fact about a secret rather than hold it (`hasToken`, `isSecret`). */
const factPrefixes = /^(has|is|no|missing|with|without|use|uses)[A-Z_]/;

/** Whether a name looks like it holds a secret (see {@link secretEndings}). */
export function isSecretName(name: string): boolean {
  if (factPrefixes.test(name)) return false;
  const n = name.toLowerCase().replace(/[-_.]/g, "");
  return secretEndings.some((e) => n.endsWith(e));
}

/** Calls whose values pass through unchanged (`String(token)`, `JSON.stringify(creds)`). */
const passThrough: ReadonlySet<string> = new Set(["String", "JSON.stringify"]);
const maxDepth = 6;
/** Binary operators whose result can carry an operand's value (comparisons cannot). */
const valueOperators: ReadonlySet<string> = new Set(["+", "??", "||", "&&"]);

/**
 * Rule `secret-in-log`: an error when a log call (`log.<level>`, and `child` bindings, which every
 * later entry carries) or a span's or event's attributes pass a value by a secret name: a key of
 * the data object (`{ apiKey: k }`, `{ "api_key": k }`), a shorthand property (`{ password }`), an
 * identifier or property read passed as data or inside it (`log.info("x", token)`,
 * `{ auth: process.env.DASH0_API_KEY }`, `` `${config.sharedKey}` ``). Values read through other calls (`mask(token)`, `token.length`) are not reported;
 * a same-file object literal variable is followed; depth is capped at six. At run time the client redacts
 * such keys too (`runtime/records/redaction.ts`): this rule is the early warning.
 */
export function secretInLog(ctx: RuleContext): void {
  for (const t of ctx.calls) {
    for (const arg of secretBearingArguments(t)) visit(ctx, arg, 0);
  }
}

function secretBearingArguments(t: TelemetryCall): Node[] {
  const args = t.call.getArguments();
  switch (t.kind) {
    case "log":
      return args;
    case "child":
      return args.slice(0, 1);
    case "span":
      return args.slice(2, 3);
    case "event":
      return args.slice(1, 2);
    default:
      return [];
  }
}

function visit(ctx: RuleContext, node: Node, depth: number): void {
  if (depth > maxDepth) return;
  const { Node: N } = ctx.morph;
  const n = unwrap(ctx.morph, node);
  if (N.isIdentifier(n)) {
    if (isSecretName(n.getText())) {
      report(ctx, n, n.getText(), "passed");
      return;
    }
    const object = objectLiteralOf(ctx.morph, n);
    if (object !== undefined) visit(ctx, object, depth + 1);
    return;
  }
  if (N.isPropertyAccessExpression(n)) {
    if (isSecretName(n.getName())) report(ctx, n.getNameNode(), n.getName(), "passed");
    return;
  }
  if (N.isElementAccessExpression(n)) {
    const index = n.getArgumentExpression();
    if (index !== undefined && (N.isStringLiteral(index) || N.isNoSubstitutionTemplateLiteral(index)) && isSecretName(index.getLiteralText()))
      report(ctx, index, index.getLiteralText(), "passed");
    return;
  }
  if (N.isObjectLiteralExpression(n)) {
    for (const property of n.getProperties()) {
      const named = staticPropertyName(ctx.morph, property);
      if (named !== undefined && isSecretName(named.name)) {
        report(ctx, named.node, named.name, N.isShorthandPropertyAssignment(property) ? "passed" : "key");
        continue;
      }
      if (N.isPropertyAssignment(property)) {
        const init = property.getInitializer();
        if (init !== undefined) visit(ctx, init, depth + 1);
      } else if (N.isSpreadAssignment(property)) visit(ctx, property.getExpression(), depth + 1);
    }
    return;
  }
  if (N.isArrayLiteralExpression(n)) {
    for (const e of n.getElements()) visit(ctx, e, depth + 1);
    return;
  }
  if (N.isTemplateExpression(n)) {
    for (const span of n.getTemplateSpans()) visit(ctx, span.getExpression(), depth + 1);
    return;
  }
  if (N.isBinaryExpression(n) && valueOperators.has(n.getOperatorToken().getText())) {
    visit(ctx, n.getLeft(), depth + 1);
    visit(ctx, n.getRight(), depth + 1);
    return;
  }
  if (N.isConditionalExpression(n)) {
    visit(ctx, n.getWhenTrue(), depth + 1);
    visit(ctx, n.getWhenFalse(), depth + 1);
    return;
  }
  if (N.isCallExpression(n) && passThrough.has(n.getExpression().getText().replace(/\s/g, ""))) {
    for (const a of n.getArguments()) visit(ctx, a, depth + 1);
  }
}

function report(ctx: RuleContext, node: Node, name: string, how: "key" | "passed"): void {
  ctx.report(node, {
    rule: "secret-in-log",
    severity: "error",
    message:
      how === "key"
        ? `data key \`${name}\` names a secret; free-form data is written to every target unredacted`
        : `\`${name}\` looks like a secret and is written to every target unredacted`,
    suggestion: "drop it, or log a fact about it instead (whether it is set, its source, a fingerprint): never the value",
  });
}
