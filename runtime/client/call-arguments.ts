import { isError } from "../records/is-error.js";

/** The message of a call that gave data only (`log.info({ userId: 7 })`), as pino allows. */
export const noMessage = "(no message)";

/**
 * A log call's `(message, data)` in our order, whatever order the caller used. Called only when
 * `first` is not a string (the common call costs one `typeof`). Recognised, as in pino:
 * - `(data, "msg")`: data first, message second;
 * - `(error)` and `(error, "msg")`: the Error is the entry's error, its message the entry's when none is given;
 * - `(data)` alone: the message is `data.msg` when it is a string, else {@link noMessage}.
 * Anything else is returned as it is (the writer makes the message text). Never throws.
 */
export function messageFirst(first: unknown, second: unknown): readonly [message: unknown, data: unknown] {
  if (first === null || typeof first !== "object") return [first, second];
  if (typeof second === "string") return [second, first];
  if (second !== undefined) return [first, second];
  try {
    if (isError(first)) return [first, first];
    if (Array.isArray(first)) return [first, second];
    const msg: unknown = (first as { msg?: unknown }).msg;
    return [typeof msg === "string" && msg !== "" ? msg : noMessage, first];
  } catch {
    return [first, second]; // a revoked Proxy, a hostile getter: the writer makes its message as before
  }
}
