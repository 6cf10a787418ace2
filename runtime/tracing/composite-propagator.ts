import { type Context, diag, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from "@opentelemetry/api";

/** The message of what a propagator threw. */
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Several propagators as one, as `@opentelemetry/core`'s CompositePropagator: each runs in order (a
 * later one wins a key both write); one that throws is skipped with a diag warning.
 */
export class CompositePropagator implements TextMapPropagator {
  readonly #propagators: readonly TextMapPropagator[];
  readonly #fields: string[];

  constructor(propagators: readonly TextMapPropagator[]) {
    this.#propagators = propagators;
    this.#fields = [...new Set(propagators.flatMap((p) => (typeof p.fields === "function" ? p.fields() : [])))];
  }

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    for (const propagator of this.#propagators) {
      try {
        propagator.inject(ctx, carrier, setter);
      } catch (err) {
        diag.warn(`Failed to inject with ${propagator.constructor.name}. Err: ${messageOf(err)}`);
      }
    }
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = ctx;
    for (const propagator of this.#propagators) {
      try {
        result = propagator.extract(result, carrier, getter);
      } catch (err) {
        diag.warn(`Failed to extract with ${propagator.constructor.name}. Err: ${messageOf(err)}`);
      }
    }
    return result;
  }

  fields(): string[] {
    return this.#fields.slice();
  }
}
