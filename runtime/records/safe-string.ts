import { type RepairCounts, repairLimits } from "./repair.js";

/**
 * `s` as the contract accepts it: lone surrogates made well-formed (U+FFFD), and longer than `max` UTF-16 units
 * truncated with a marker saying how much was cut. Each repair is counted in `counts`; never throws.
 */
export function safeString(s: string, counts: RepairCounts, max: number = repairLimits.maxStringLength): string {
  // The common case: short, well-formed. isWellFormed is a fast native scan.
  if (s.length <= max && s.isWellFormed()) return s;
  let out = s;
  if (!out.isWellFormed()) {
    counts.invalidUtf16++;
    out = out.toWellFormed();
  }
  if (out.length > max) {
    counts.truncatedStrings++;
    const marker = `…[truncated ${out.length - max + 40} chars]`;
    out = out.slice(0, max - 40).toWellFormed() + marker;
  }
  return out;
}
