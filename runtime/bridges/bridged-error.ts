import { types } from "node:util";

/** Deepest `cause` chain rebuilt from serialized fields; deeper causes stay as the raw value. */
const maxCauseDepth = 8;

/** Fields of a serialized error that {@link rebuildError} turns into the error itself, not extra properties. */
const errorFields: ReadonlySet<string> = new Set(["type", "name", "message", "stack", "cause", "aggregateErrors", "raw"]);

/** Whether `value` is an `Error`, including one from another realm (a `vm` context, a worker's structured clone). */
export function isErrorValue(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** Whether `value` looks like a serialized error: an object with a string `message` or `stack`. */
export function isSerializedError(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  return typeof fields.message === "string" || typeof fields.stack === "string";
}

/**
 * Rebuilds an `Error` from a serialized one (pino's `{ type, message, stack, aggregateErrors, … }`,
 * or winston's `message`/`stack`/`cause` fields left by `format.errors`), so the target sees the
 * same shape whatever the source: `name` from `type`, else `name`, else the stack's first line,
 * else `"Error"`; the original `stack` (never the bridge's own); `cause` rebuilt when it is itself
 * serialized (up to 8 deep); `aggregateErrors` → an `AggregateError`; other fields (`code`, …) copied
 * as own properties. Internal to `runtime/bridges`. Never throws.
 */
export function rebuildError(fields: Record<string, unknown>, depth = 0): Error {
  const message = typeof fields.message === "string" ? fields.message : "";
  const stack = typeof fields.stack === "string" ? fields.stack : undefined;
  const name = nonEmpty(fields.type) ?? nonEmpty(fields.name) ?? (stack === undefined ? undefined : nameFromStack(stack)) ?? "Error";
  const cause = rebuildCause(fields.cause, depth);
  const options = cause === undefined ? undefined : { cause };
  const err = Array.isArray(fields.aggregateErrors)
    ? new AggregateError(
        fields.aggregateErrors.map((e: unknown) => (isSerializedError(e) ? rebuildError(e, depth + 1) : e)),
        message,
        options,
      )
    : new Error(message, options);
  err.name = name;
  err.stack = stack ?? (message === "" ? name : `${name}: ${message}`);
  for (const key of Object.keys(fields)) {
    if (errorFields.has(key)) continue;
    // defineProperty, not assignment: JSON.parse gives own `__proto__` keys, which must stay data.
    Object.defineProperty(err, key, { value: fields[key], enumerable: true, writable: true, configurable: true });
  }
  return err;
}

function rebuildCause(cause: unknown, depth: number): unknown {
  if (cause === undefined || isErrorValue(cause)) return cause;
  if (depth < maxCauseDepth && isSerializedError(cause)) return rebuildError(cause, depth + 1);
  return cause;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** `TypeError` from `TypeError: boom\n    at …`; `undefined` when the first line names no type. */
function nameFromStack(stack: string): string | undefined {
  return /^([A-Za-z_$][\w$.]*)(?::|\n|$)/.exec(stack)?.[1];
}
