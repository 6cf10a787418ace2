const quote = 0x22;
const backslash = 0x5c;
const openObject = 0x7b;
const openArray = 0x5b;
const comma = 0x2c;

/**
 * An upper bound, in one pass over the bytes without parsing, on the values `JSON.parse` would build
 * from a JSON body: each `{`, `[` and `,` outside strings (objects, arrays, and each further member or
 * element). Stops past `limit` (the result is then `limit + 1`), so millions of empty objects in a
 * few KB of gzip are refused before they are parsed. Malformed JSON counts what it holds (the parser
 * then says why).
 */
export function countJsonItems(bytes: Uint8Array, limit: number): number {
  let items = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === backslash) i++;
      else if (b === quote) inString = false;
    } else if (b === quote) inString = true;
    else if ((b === openObject || b === openArray || b === comma) && ++items > limit) return items;
  }
  return items;
}
