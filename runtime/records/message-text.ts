import { isError } from "./is-error.js";

/** Most items of an array shown when an array is passed as a message. */
const maxMessageItems = 64;

/**
 * A log call's message as text, whatever JavaScript callers pass: a string as it is, an Error's
 * message, an array's first items joined as `String` would (its length does not matter: a sparse
 * array of length 2³²−1 costs 64 reads), anything else through `String`. Never throws: a hostile
 * value becomes `"(unprintable message)"`. The caller makes the text safe (length, UTF-16).
 */
export function messageText(message: unknown): string {
  try {
    if (typeof message === "string") return message;
    if (isError(message)) {
      const text: unknown = message.message;
      return typeof text === "string" ? text : String(text);
    }
    if (Array.isArray(message) || ArrayBuffer.isView(message)) return listText(message as ArrayLike<unknown>);
    return String(message);
  } catch {
    return "(unprintable message)";
  }
}

function listText(items: ArrayLike<unknown>): string {
  const length = typeof items.length === "number" ? items.length : 0;
  const n = Math.min(length, maxMessageItems);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const item = items[i];
    parts.push(item === null || item === undefined ? "" : typeof item === "object" ? "[object]" : String(item));
  }
  return length > n ? `${parts.join(",")},…` : parts.join(",");
}
