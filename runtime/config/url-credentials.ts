/** What a URL's user and password are shown as in messages. */
export const hiddenUserinfo = "***";

// `scheme://userinfo@`: the userinfo runs to the last `@` before the host (a password may hold an unescaped `@`).
const userinfoPattern = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s"]*@/gi;

/**
 * `text` with the user and password of every URL in it replaced by `***`
 * (`https://user:pass@host/path` → `https://***@host/path`), for messages that quote a value.
 * Text without such a URL is returned as is. Never throws.
 */
export function hideUrlCredentials(text: string): string {
  return text.includes("@") ? text.replace(userinfoPattern, `$1${hiddenUserinfo}@`) : text;
}
