/** A lone surrogate as `JSON.stringify` escapes it (a pair is written as is, never escaped). */
const loneSurrogateEscape = /\\ud[89a-f][0-9a-f]{2}/;

/**
 * `JSON.stringify(value)` with every string made well-formed first (lone surrogates become U+FFFD),
 * as they are on our other targets (msgpack and protobuf write UTF-8). The escape check runs once
 * over the text; only a text that has one is written again, with each string repaired. Line breaks
 * in strings are escaped by `JSON.stringify`, so the text is always one line.
 */
export function wellFormedJson(value: unknown): string {
  const text = JSON.stringify(value);
  return loneSurrogateEscape.test(text) ? JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? v.toWellFormed() : v)) : text;
}
