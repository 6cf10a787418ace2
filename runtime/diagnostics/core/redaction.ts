import { redactedText } from "../../config/secret.js";

/** Characters of a peer's answer quoted in a report, at most. */
const maxQuotedChars = 200;
const textDecoder = new TextDecoder();

/**
 * `text` with every non-empty secret replaced by `[redacted]`, in one pass (longest secret first); an
 * existing `[redacted]` is kept whole, so text scrubbed twice reads the same. Never throws.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const present = secrets.filter((secret) => secret !== "" && text.includes(secret));
  if (present.length === 0) return text;
  present.sort((a, b) => b.length - a.length);
  const pattern = new RegExp([redactedText, ...present].map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return text.replace(pattern, redactedText);
}

/**
 * Up to 200 characters of a response body for an error message: secrets scrubbed (before cutting, so
 * no secret is cut in half), control characters collapsed. `""` for an empty body.
 */
export function quoteBody(body: Uint8Array, secrets: readonly string[]): string {
  if (body.byteLength === 0) return "";
  const text = scrubSecrets(textDecoder.decode(body.subarray(0, 4096)), secrets)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, " ")
    .trim();
  return text.length > maxQuotedChars ? `${text.slice(0, maxQuotedChars)}…` : text;
}

/**
 * A URL as shown in reports: user name, password and query values replaced by `[redacted]` (they
 * may hold tokens). Text that is not a URL is returned as is.
 */
export function displayUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  if (u.username !== "") u.username = redactedText;
  if (u.password !== "") u.password = redactedText;
  for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, redactedText);
  return u.toString();
}
