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
