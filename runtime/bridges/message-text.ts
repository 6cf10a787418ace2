import { inspect } from "node:util";

/**
 * A record's message as a string, for sources that allow any value there (winston's `message`,
 * pino's `msg`). Strings pass through; `undefined` → `""`; primitives → `String`; objects → JSON,
 * or `util.inspect` (no custom inspectors) when JSON fails (cycles, `bigint`), or `"[unserializable]"`
 * when that fails too (hostile proxies). Internal to `runtime/bridges`. Never throws.
 */
export function messageText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "undefined":
      return "";
    case "number":
    case "boolean":
    case "bigint":
    case "symbol":
      return String(value);
    case "function":
      return "[function]";
    case "object":
      return value === null ? "null" : objectText(value);
  }
}

function objectText(value: object): string {
  try {
    const json = JSON.stringify(value);
    if (typeof json === "string") return json;
  } catch {
    // Cycles and bigint values make JSON throw: inspect handles both.
  }
  try {
    return inspect(value, { depth: 4, breakLength: Infinity, customInspect: false });
  } catch {
    return "[unserializable]";
  }
}
