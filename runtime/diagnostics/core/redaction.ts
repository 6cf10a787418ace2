import { redactedText } from "../../config/secret.js";

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
