import type { Context } from "@opentelemetry/api";

/**
 * `@opentelemetry/core`'s key for "tracing suppressed" (`suppressTracing`): `createContextKey` is
 * `Symbol.for` of this description, so the symbol is the same whichever copy set it.
 */
const suppressTracingKey = Symbol.for("OpenTelemetry SDK Context Key SUPPRESS_TRACING");

/** Whether tracing is suppressed in `ctx` (as `@opentelemetry/core`'s `isTracingSuppressed`). */
export function isTracingSuppressed(ctx: Context): boolean {
  return ctx.getValue(suppressTracingKey) === true;
}
