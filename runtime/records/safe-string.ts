import { flattened } from "./flat-copy.js";
import { type RepairCounts, repairLimits } from "./repair.js";

/**
 * `s` as the contract accepts it: lone surrogates made well-formed (U+FFFD), and longer than `max` UTF-16 units
 * truncated with a marker saying how much was cut. Each repair is counted in `counts`; never throws.
 * The work is O(`max`) whatever the length of `s`, and a truncated string is a copy: it does not keep `s` alive.
 */
export function safeString(s: string, counts: RepairCounts, max: number = repairLimits.maxStringLength): string {
  // The common case: short, well-formed. isWellFormed is a fast native scan.
  if (s.length <= max) {
    if (s.isWellFormed()) return s;
    counts.invalidUtf16++;
    return s.toWellFormed();
  }
  counts.truncatedStrings++;
  // Cut before the marker's room, and before a surrogate pair the cut would split.
  let end = max - 40;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  let kept = s.slice(0, end);
  if (!kept.isWellFormed()) {
    counts.invalidUtf16++;
    kept = kept.toWellFormed();
  }
  return flattened(`${kept}…[truncated ${String(s.length - end)} chars]`);
}
