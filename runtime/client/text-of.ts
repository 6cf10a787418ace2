/**
 * `String(value)` that never throws: a null-prototype object, a revoked Proxy or a throwing
 * `toString` reads as `[unprintable <typeof>]`. For messages and diagnostics made from what the app
 * hands over.
 */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return String(value);
  } catch {
    return `[unprintable ${typeof value}]`;
  }
}

/** What a caught value says, for diagnostics: an Error's message, else the value itself, as {@link textOf}. Never throws. */
export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? textOf(error.message) : textOf(error);
  } catch {
    return `[unprintable ${typeof error}]`; // a revoked Proxy: even instanceof throws
  }
}
