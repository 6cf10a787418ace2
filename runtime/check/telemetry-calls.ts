import type { CallExpression, Expression, Node, ObjectLiteralExpression, SourceFile } from "ts-morph";

/** The ts-morph module, imported lazily by `checkProject`. */
export type Morph = typeof import("ts-morph");

/** What a recognised client call does. */
export type TelemetryCallKind = "log" | "child" | "span" | "event" | "phase" | "job";

/** A call of the telemetry client's API found in a source file. */
export interface TelemetryCall {
  /** What the call does. */
  readonly kind: TelemetryCallKind;
  /** The call itself. */
  readonly call: CallExpression;
  /** The method called (`info`, `span`, `process`, ...). */
  readonly method: string;
  /** The receiver's text without whitespace, `?` and `!` (`telemetry.log`, `this.logger`). */
  readonly receiver: string;
}

/** The client's facades and the methods the checker knows on each. */
const facadeMethods: Readonly<Record<Facade, Readonly<Record<string, TelemetryCallKind>>>> = {
  log: { debug: "log", info: "log", warn: "log", error: "log", fatal: "log", child: "child" },
  trace: { span: "span", event: "event" },
  startup: { phase: "phase" },
  job: { process: "job" },
};
type Facade = "log" | "trace" | "startup" | "job";
const facades = Object.keys(facadeMethods) as Facade[];

/** Facades recognised as a bare identifier (`log.info` after `const { log } = telemetry`); `job` is too common a variable name. */
const bareFacades: ReadonlySet<string> = new Set(["log", "trace", "startup"]);

const normalise = (text: string): string => text.replace(/[\s?!]/g, "");

/**
 * Finds the client calls of a file, by the text of their receiver (no types: services import the
 * client from a package the in-memory project does not hold). A receiver is a facade when
 *
 * - its text ends with `.log`, `.trace`, `.startup` or `.job` (`telemetry.log`, `this.deps.telemetry.trace`),
 * - it is the bare identifier `log`, `trace` or `startup` (destructured from the client), or
 * - it is a name (variable, `this.x` property, destructured binding) the same file assigns from a
 *   facade (`const tracer = telemetry.trace`, `const { log: logger } = telemetry`), or, for the
 *   logger, from a `child(...)` call on a logger (`const jobLog = telemetry.log.child({...})`),
 *   followed to a fixed point (children of children).
 *
 * Names are tracked per file, not per scope. Loggers passed in as parameters or built in other
 * files are not recognised unless their name matches the rules above.
 */
export function findTelemetryCalls(morph: Morph, file: SourceFile): TelemetryCall[] {
  const { Node: N, SyntaxKind } = morph;
  const known = new Map<string, Facade>();
  const facadeOf = (receiver: string): Facade | undefined => {
    const named = known.get(receiver);
    if (named !== undefined) return named;
    for (const f of facades) if (receiver.endsWith(`.${f}`) || (receiver === f && bareFacades.has(f))) return f;
    return undefined;
  };
  const facadeOfValue = (value: Node | undefined): Facade | undefined => {
    if (value === undefined) return undefined;
    const v = unwrap(morph, value);
    if (N.isCallExpression(v)) {
      const callee = v.getExpression();
      if (N.isPropertyAccessExpression(callee) && callee.getName() === "child" && facadeOf(normalise(callee.getExpression().getText())) === "log") return "log";
      return undefined;
    }
    if (N.isPropertyAccessExpression(v) || N.isIdentifier(v)) return facadeOf(normalise(v.getText()));
    return undefined;
  };

  const assignments: Array<{ name: string; value: () => Facade | undefined }> = [];
  for (const d of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const nameNode = d.getNameNode();
    if (N.isIdentifier(nameNode)) assignments.push({ name: nameNode.getText(), value: () => facadeOfValue(d.getInitializer()) });
  }
  for (const p of file.getDescendantsOfKind(SyntaxKind.PropertyDeclaration)) {
    assignments.push({ name: `this.${p.getName()}`, value: () => facadeOfValue(p.getInitializer()) });
  }
  for (const b of file.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    if (b.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
    assignments.push({ name: normalise(b.getLeft().getText()), value: () => facadeOfValue(b.getRight()) });
  }
  for (const e of file.getDescendantsOfKind(SyntaxKind.BindingElement)) {
    const property = e.getPropertyNameNode()?.getText() ?? e.getName();
    if ((facades as string[]).includes(property)) assignments.push({ name: e.getName(), value: () => property as Facade });
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of assignments) {
      if (known.has(a.name)) continue;
      const f = a.value();
      if (f !== undefined) {
        known.set(a.name, f);
        changed = true;
      }
    }
  }

  const calls: TelemetryCall[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (!N.isPropertyAccessExpression(callee)) continue;
    const receiver = normalise(callee.getExpression().getText());
    const facade = facadeOf(receiver);
    if (facade === undefined) continue;
    const method = callee.getName();
    const kind = facadeMethods[facade][method];
    if (kind !== undefined) calls.push({ kind, call, method, receiver });
  }
  return calls;
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` casts. */
export function unwrap(morph: Morph, node: Node): Node {
  const { Node: N } = morph;
  let n = node;
  while (N.isParenthesizedExpression(n) || N.isAsExpression(n) || N.isSatisfiesExpression(n) || N.isNonNullExpression(n) || N.isTypeAssertion(n))
    n = n.getExpression();
  return n;
}

/**
 * The object literal an argument stands for: the literal itself, or a `const`/`let` of the same
 * file initialised with one (`const data = { jobId }; log.info("x", data)`). Anything else: undefined.
 */
export function objectLiteralOf(morph: Morph, node: Node | undefined): ObjectLiteralExpression | undefined {
  const { Node: N } = morph;
  if (node === undefined) return undefined;
  const n = unwrap(morph, node);
  if (N.isObjectLiteralExpression(n)) return n;
  if (!N.isIdentifier(n)) return undefined;
  for (const d of n.getSymbol()?.getDeclarations() ?? []) {
    if (!N.isVariableDeclaration(d) || d.getSourceFile() !== n.getSourceFile()) continue;
    const init = d.getInitializer();
    if (init !== undefined && N.isObjectLiteralExpression(unwrap(morph, init))) return unwrap(morph, init) as ObjectLiteralExpression;
  }
  return undefined;
}

/**
 * The object literals whose keys become record keys or attributes: the data of `log.<level>`,
 * the bindings of `child`, `attributes` of `trace.span`'s options, the attributes of `trace.event`.
 */
export function keyedObjects(morph: Morph, t: TelemetryCall): ObjectLiteralExpression[] {
  const args = t.call.getArguments();
  switch (t.kind) {
    case "log":
      return present(objectLiteralOf(morph, args[1]));
    case "child":
      return present(objectLiteralOf(morph, args[0]));
    case "event":
      return present(objectLiteralOf(morph, args[1]));
    case "span": {
      const options = objectLiteralOf(morph, args[2]);
      const attributes = options?.getProperty("attributes");
      return present(attributes !== undefined && morph.Node.isPropertyAssignment(attributes) ? objectLiteralOf(morph, attributes.getInitializer()) : undefined);
    }
    default:
      return [];
  }
}

const present = <T>(v: T | undefined): T[] => (v === undefined ? [] : [v]);

/** A property's name when it is static (identifier, string or numeric literal, literal computed key). */
export function staticPropertyName(morph: Morph, property: Node): { name: string; node: Node } | undefined {
  const { Node: N } = morph;
  if (N.isShorthandPropertyAssignment(property)) return { name: property.getName(), node: property.getNameNode() };
  if (!N.isPropertyAssignment(property)) return undefined;
  const nameNode = property.getNameNode();
  if (N.isIdentifier(nameNode) || N.isPrivateIdentifier(nameNode)) return { name: nameNode.getText(), node: nameNode };
  if (N.isStringLiteral(nameNode) || N.isNumericLiteral(nameNode) || N.isNoSubstitutionTemplateLiteral(nameNode))
    return { name: nameNode.getLiteralText(), node: nameNode };
  if (N.isComputedPropertyName(nameNode)) {
    const e: Expression = nameNode.getExpression();
    if (N.isStringLiteral(e) || N.isNoSubstitutionTemplateLiteral(e)) return { name: e.getLiteralText(), node: e };
  }
  return undefined;
}
