import { scrubSecrets } from "../../config/known-secrets.js";

/** Characters of a peer's answer quoted in a message, at most. */
const maxQuotedChars = 200;
/** Bytes of a body scrubbed before quoting: all a transport keeps (64 KiB), so no secret is cut in half. */
const maxScrubbedBytes = 64 * 1024;
const textDecoder = new TextDecoder();

/**
 * Up to 200 characters of a response body for an error message or a report: `secrets` and every
 * configured secret scrubbed ({@link scrubSecrets}, before cutting, so no secret is cut in half),
 * control characters collapsed. `""` for an empty body. Never throws.
 */
export function quoteBody(body: Uint8Array, secrets: readonly string[]): string {
  if (body.byteLength === 0) return "";
  const text = scrubSecrets(textDecoder.decode(body.subarray(0, maxScrubbedBytes)), secrets)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
    .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, " ")
    .trim();
  return text.length > maxQuotedChars ? `${text.slice(0, maxQuotedChars)}…` : text;
}
