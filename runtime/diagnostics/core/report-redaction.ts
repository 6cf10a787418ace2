import { scrubSecrets } from "../../config/known-secrets.js";

/**
 * Replaces every secret in every string of a report (any depth, except the messages' `$typeName`) with
 * `[redacted]`, in place, and returns it: the last line of defence, run on every report before it is
 * handed out. Secrets of any length are scrubbed, so a very short key also blanks ordinary text.
 * Never throws.
 */
export function scrubReport<T>(report: T, secrets: readonly string[]): T {
  if (secrets.length > 0) scrubValue(report, secrets, 0);
  return report;
}

function scrubValue(value: unknown, secrets: readonly string[], depth: number): void {
  if (depth > 8 || typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === "$typeName") continue;
    const child = record[key];
    if (typeof child === "string") record[key] = scrubSecrets(child, secrets);
    else scrubValue(child, secrets, depth + 1);
  }
}
