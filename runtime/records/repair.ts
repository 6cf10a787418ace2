/**
 * Limits records are repaired to, matching the contract's rules (schema/emp/telemetry/v1/*.proto):
 * a repaired record always passes validation.
 */
export const repairLimits = Object.freeze({
  /** Longest string value kept, in UTF-16 units (the contract allows 32768 code points). */
  maxStringLength: 32768,
  /** Longest map key kept (the contract allows 256). */
  maxKeyLength: 256,
  /** Most entries kept in one map (the contract allows 256). */
  maxMapEntries: 256,
  /** Most items kept in one list (the contract allows 1024). */
  maxListItems: 1024,
  /** Deepest nesting followed. */
  maxDepth: 16,
  /** Longest error message kept (the contract allows 8192). */
  maxErrorMessageLength: 8192,
  /** Longest stack kept (the contract allows 32768). */
  maxStackLength: 32768,
  /** Most causes kept in an error's chain (the contract allows 8). */
  maxCauses: 8,
});

/** How many repairs were made to make records safe; each counter only grows. */
export interface RepairCounts {
  /** Strings (and out-of-range bigints) cut to the contract's length. */
  truncatedStrings: number;
  /** Strings with lone surrogates made well-formed. */
  invalidUtf16: number;
  /** Keys renamed: empty, too long, or reaching the prototype (`__proto__`, `constructor`, `prototype`). */
  renamedKeys: number;
  /** Values dropped: functions, symbols, entries past the limits, nesting past the depth limit. */
  droppedValues: number;
  /** Cycles replaced by `"[circular]"`. */
  cycles: number;
  /** NaN and infinities stored as strings. */
  nonFiniteNumbers: number;
}

/** A fresh set of repair counters, all zero. */
export function createRepairCounts(): RepairCounts {
  return { truncatedStrings: 0, invalidUtf16: 0, renamedKeys: 0, droppedValues: 0, cycles: 0, nonFiniteNumbers: 0 };
}

/** Total number of repairs. */
export function totalRepairs(c: Readonly<RepairCounts>): number {
  return c.truncatedStrings + c.invalidUtf16 + c.renamedKeys + c.droppedValues + c.cycles + c.nonFiniteNumbers;
}
