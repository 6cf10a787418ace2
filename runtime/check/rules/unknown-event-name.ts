import type { Node } from "ts-morph";
import { jobLifecycleNames, serviceTypeNames } from "../../../generated/index.js";
import type { TelemetryCall } from "../telemetry-calls.js";
import { unwrap } from "../telemetry-calls.js";
import type { RuleContext } from "./rule-context.js";

/** What a span or event name must look like: lowercase identifiers separated by dots. */
export const eventNamePattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/**
 * An HTTP span name as OpenTelemetry's HTTP semantic conventions write it: `{method} {route}`
 * (`GET /jobs/:id`), or the method alone.
 */
export const httpSpanNamePattern = /^(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|QUERY|HTTP)( \/\S*)?$/;

/** The span and event names the contract itself uses, by kind. */
export interface ReservedNames {
  /** Span names: `job.process` (the client's job span) and `<serviceType>.startup` (the startup root). */
  readonly spans: ReadonlySet<string>;
  /** Event names: `job.<lifecycle>` (JobEvent lifecycles) and `exception` (OpenTelemetry's error event). */
  readonly events: ReadonlySet<string>;
}

/**
 * The contract's span and event names, read from the generated enum name tables (`jobLifecycleNames`,
 * `serviceTypeNames`, `unspecified` left out) plus `job.process`, the span `telemetry.job.process`
 * opens, and `exception`, the OpenTelemetry semantic-convention event a failed span records.
 */
export function reservedNames(): ReservedNames {
  const named = (table: Readonly<Record<number, string>>): string[] => Object.values(table).filter((n) => n !== "unspecified");
  return {
    spans: new Set(["job.process", ...named(serviceTypeNames).map((t) => `${t}.startup`)]),
    events: new Set([...named(jobLifecycleNames).map((l) => `job.${l}`), "exception"]),
  };
}

/** Which reserved family a name falls in: `job.*`, `*.startup` or `exception`. */
function reservedFamily(name: string): string | undefined {
  if (name.startsWith("job.")) return "job.*";
  if (name.endsWith(".startup")) return "*.startup";
  if (name === "exception") return "exception";
  return undefined;
}

/** A lowercase dot-separated spelling of a bad name (`Load Model` → `load_model`). */
export function suggestEventName(name: string): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, "_")
    .replace(/_*\._*/g, ".")
    .replace(/\.{2,}/g, ".")
    .replace(/^[^a-z]+|[._]+$/g, "")
    .replace(/_{2,}/g, "_");
  return s === "" ? "my_operation" : s;
}

/**
 * Rule `unknown-event-name`. The schema has no registry of service-chosen names yet, so a span or
 * event name (`trace.span`, `trace.event`, and `startup.phase`, whose name is a span name) is
 * "known" when:
 *
 * 1. it matches {@link eventNamePattern} (`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`), else an error; and
 * 2. it does not fall in a family the contract reserves (`job.*`, `*.startup`, `exception`) unless
 *    it is exactly the contract's own use of that name: a span named `job.process` or
 *    `<serviceType>.startup`, an event named `job.<lifecycle>` or `exception`. Anything else in
 *    those families (a span `job.upload`, an event `api.startup`) is an error.
 *
 * A name is static when it is a string literal, a template without substitutions, or an expression
 * whose type is one string literal (`const NAME = "x"`, `as const` tables). Other names (templates
 * with substitutions, parameters, `string` variables) get a warning: name not statically known.
 *
 * HTTP spans are named as OpenTelemetry's semantic conventions say, not by the pattern: a span named
 * `GET /jobs/:id` ({@link httpSpanNamePattern}), or a template `${method} ${route}` (written at the
 * call or in the initialiser of a same-file variable) whose first substitution names the method, is
 * fine.
 */
export function unknownEventName(ctx: RuleContext): void {
  const reserved = reservedNames();
  for (const t of ctx.calls) {
    if (t.kind !== "span" && t.kind !== "event" && t.kind !== "phase") continue;
    const arg = t.call.getArguments()[0];
    if (arg === undefined) continue;
    const what = t.kind === "event" ? "event name" : t.kind === "phase" ? "startup phase name" : "span name";
    const name = staticString(ctx, arg);
    if (t.kind === "span" && (name === undefined ? isHttpNameTemplate(ctx, arg) : httpSpanNamePattern.test(name))) continue;
    if (name === undefined) {
      ctx.report(arg, {
        rule: "unknown-event-name",
        severity: "warning",
        message: `${what} not statically known (${quoted(shorten(arg.getText()))}); names are a fixed vocabulary, values belong in attributes`,
        suggestion: `use a literal name and move the variable part into attributes, e.g. ${callSketch(t)}`,
      });
      continue;
    }
    if (!eventNamePattern.test(name)) {
      ctx.report(arg, {
        rule: "unknown-event-name",
        severity: "error",
        message: `${what} \`${name}\` is not a lowercase dot-separated identifier (${String(eventNamePattern)})`,
        suggestion: `use \`${suggestEventName(name)}\``,
      });
      continue;
    }
    const family = reservedFamily(name);
    if (family === undefined) continue;
    const own = t.kind === "event" ? reserved.events : t.kind === "span" ? reserved.spans : new Set<string>();
    if (own.has(name)) continue;
    const familyNames = [...reserved.spans, ...reserved.events].filter((r) => reservedFamily(r) === family).join(", ");
    ctx.report(arg, {
      rule: "unknown-event-name",
      severity: "error",
      message: `${what} \`${name}\` collides with the contract's reserved \`${family}\` names (${familyNames})`,
      suggestion: reservedSuggestion(name, family, t.kind === "event" ? reserved.spans : reserved.events),
    });
  }
}

function reservedSuggestion(name: string, family: string, otherKind: ReadonlySet<string>): string {
  if (otherKind.has(name)) return `\`${name}\` is emitted by the client itself; let \`telemetry.job.process\` / \`telemetry.startup\` emit it`;
  if (family === "job.*")
    return `wrap the work in \`telemetry.job.process(job, fn)\` and name your own steps outside \`job.*\`, e.g. \`${suggestEventName(name.slice(4))}\``;
  if (family === "*.startup") return `use \`telemetry.startup.phase("${suggestEventName(name.slice(0, -".startup".length))}", fn)\` for a startup step`;
  return "let the client record errors: a span whose callback throws gets the `exception` event";
}

function staticString(ctx: RuleContext, node: Node): string | undefined {
  const { Node: N } = ctx.morph;
  const n = unwrap(ctx.morph, node);
  if (N.isStringLiteral(n) || N.isNoSubstitutionTemplateLiteral(n)) return n.getLiteralText();
  const type = n.getType();
  if (type.isStringLiteral()) {
    const v = type.getLiteralValue();
    if (typeof v === "string") return v;
  }
  return undefined;
}

/** Whether `node` is, or is a variable initialised with, a template `${…method…} …` (an HTTP span name). */
function isHttpNameTemplate(ctx: RuleContext, node: Node): boolean {
  const { Node: N } = ctx.morph;
  let n: Node | undefined = unwrap(ctx.morph, node);
  if (N.isIdentifier(n)) {
    const declaration = n.getSymbol()?.getDeclarations()[0];
    n = declaration !== undefined && N.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    if (n !== undefined) n = unwrap(ctx.morph, n);
  }
  if (n === undefined || !N.isTemplateExpression(n) || n.getHead().getLiteralText() !== "") return false;
  const first = n.getTemplateSpans()[0];
  return first !== undefined && /method/i.test(first.getExpression().getText()) && first.getLiteral().getLiteralText().startsWith(" ");
}

const quoted = (s: string): string => (s.startsWith("`") ? s : `\`${s}\``);
const shorten = (s: string): string => (s.length > 40 ? `${s.slice(0, 37)}...` : s).replace(/\s+/g, " ");
const callSketch = (t: TelemetryCall): string =>
  t.kind === "event"
    ? '`trace.event("order.shipped", { "emp.job.id": id })`'
    : t.kind === "phase"
      ? '`startup.phase("load_models", fn)`'
      : '`trace.span("model.load", fn, { attributes: { "emp.job.id": id } })`';
