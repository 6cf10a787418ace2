/**
 * `text` cut to `max` characters (then ending in `…`) as a flat copy: a plain `slice` of a long string
 * is a view that keeps the whole original alive (V8 sliced strings), so a 1 MB message shown as 300
 * characters would still hold its megabyte. Strings within `max` are returned as they are. O(max).
 */
export function boundedText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${Buffer.from(text.slice(0, max), "utf16le").toString("utf16le")}…`;
}
