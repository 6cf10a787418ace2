import { type Context, INVALID_SPAN_CONTEXT, ROOT_CONTEXT, type Span, trace } from "@opentelemetry/api";

/** `@opentelemetry/api`'s key of the active span (`createContextKey` is `Symbol.for`, so every copy of the API shares it). */
const spanKey = Symbol.for("OpenTelemetry Context Key SPAN");

/**
 * A context that is `parent` with `span` as its span: one small object instead of the copy of the
 * parent's whole map that `trace.setSpan` makes. A span over a SpanLink replaces that link's span
 * (links never chain); any other value set or deleted goes to the parent, under the same span.
 */
class SpanLink implements Context {
  readonly #parent: Context;
  readonly #span: Span | undefined;

  constructor(parent: Context, span: Span | undefined) {
    this.#parent = parent;
    this.#span = span;
  }

  static over(parent: Context, span: Span | undefined): SpanLink {
    return new SpanLink(#parent in parent ? parent.#parent : parent, span);
  }

  getValue(key: symbol): unknown {
    return key === spanKey ? this.#span : this.#parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return key === spanKey ? new SpanLink(this.#parent, value as Span | undefined) : new SpanLink(this.#parent.setValue(key, value), this.#span);
  }

  deleteValue(key: symbol): Context {
    return key === spanKey ? this.#parent.deleteValue(key) : new SpanLink(this.#parent.deleteValue(key), this.#span);
  }
}

/** Whether the API in use reads the span under our key (checked once, so another API's key falls back to `trace.setSpan`). */
const probe = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const linksWork = trace.getSpan(SpanLink.over(ROOT_CONTEXT, probe)) === probe;

/** `parent` with `span` active: what `trace.setSpan(parent, span)` gives, made cheaper. */
export function contextWithSpan(parent: Context, span: Span): Context {
  return linksWork ? SpanLink.over(parent, span) : trace.setSpan(parent, span);
}
