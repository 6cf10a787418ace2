import { knownEnvNames, telemetryEnvPrefixes } from "./env-table.js";
import { isOtelStandardEnvName, otelStandardEnvNames } from "./otel-standard-env.js";
import type { ConfigWarning } from "./telemetry-config.js";

/**
 * Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and
 * swaps of two adjacent characters each cost 1). Case-sensitive. Never throws.
 */
export function damerauLevenshteinDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** Whether `a` and `b` are made of the same letters in another order (`FLUENTD_TSL` / `FLUENTD_TLS`). */
export function hasSameLetters(a: string, b: string): boolean {
  const sorted = (text: string): string => [...text].sort().join("");
  return a.length === b.length && sorted(a) === sorted(b);
}

/**
 * The known variable `name` is most likely a misspelling of: exact match ignoring case first, then
 * the nearest name at Damerau–Levenshtein distance ≤ 2, then a name with the same letters.
 * `undefined` if none is close. Candidates are our names and the standard OTel names.
 */
export function suggestEnvName(name: string): string | undefined {
  const upper = name.toUpperCase();
  const candidates = [...knownEnvNames, ...otelStandardEnvNames];
  const sameCase = candidates.find((candidate) => candidate === upper);
  if (sameCase !== undefined) return sameCase;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = damerauLevenshteinDistance(upper, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best ?? candidates.find((candidate) => hasSameLetters(upper, candidate));
}

/**
 * One warning per environment variable that starts with one of our prefixes (any case), is neither
 * read by us nor a standard OTel variable, and looks like a typo of one that is. Sorted by name.
 * Never throws.
 */
export function findMisspelledEnvNames(env: Readonly<Record<string, string | undefined>>): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const name of Object.keys(env).sort()) {
    if (env[name] === undefined || knownEnvNames.has(name) || isOtelStandardEnvName(name)) continue;
    const upper = name.toUpperCase();
    if (!telemetryEnvPrefixes.some((prefix) => upper.startsWith(prefix))) continue;
    const suggestion = suggestEnvName(name);
    if (suggestion === undefined) continue;
    const why = suggestion === upper ? " (names are case-sensitive)" : "";
    warnings.push({ key: name, message: `${name} is not read by @emp/telemetry${why}; did you mean ${suggestion}?` });
  }
  return warnings;
}

/** The known option key nearest to `key` (distance ≤ 2 or same letters, ignoring case), or `undefined`. */
export function suggestOptionKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = damerauLevenshteinDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best ?? known.find((candidate) => hasSameLetters(key.toLowerCase(), candidate.toLowerCase()));
}
