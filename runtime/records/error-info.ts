import type { ErrorInfo } from "../../generated/index.js";
import { type RepairCounts, repairLimits } from "./repair.js";
import { safeString } from "./safe-string.js";

const errorInfoType = "emp.telemetry.v1.ErrorInfo";

/**
 * The contract's ErrorInfo for anything thrown: type (the error's `name`, else its constructor's),
 * message and stack (truncated to the contract's limits), and the `cause` chain nearest first (an
 * AggregateError's `errors` count as causes), at most {@link repairLimits.maxCauses}, cycles stopped.
 * Never throws, even for hostile objects whose getters throw.
 */
export function errorInfoFromUnknown(err: unknown, counts: RepairCounts): ErrorInfo {
  const head = describe(err, counts);
  const causes: ErrorInfo[] = [];
  const seen = new Set<unknown>([err]);
  let next = nextCauses(err);
  while (next.length > 0 && causes.length < repairLimits.maxCauses) {
    const c = next.shift();
    if (c === undefined || seen.has(c)) continue;
    seen.add(c);
    causes.push(describe(c, counts));
    next = [...next, ...nextCauses(c)];
  }
  if (next.length > 0) counts.droppedValues++;
  return { ...head, causes };
}

/** The errors `err` points to (its cause, an AggregateError's first errors), at most one more than are kept. */
function nextCauses(err: unknown): unknown[] {
  if (err === null || typeof err !== "object") return [];
  const out: unknown[] = [];
  const cause = read(err, "cause");
  if (cause !== undefined) out.push(cause);
  const errors = isAggregateError(err) ? read(err, "errors") : undefined;
  if (Array.isArray(errors)) {
    // Read by index, never spread: an AggregateError may carry 200k errors.
    const n = Math.min(errors.length, repairLimits.maxCauses + 1);
    for (let i = 0; i < n; i++) out.push(read(errors, String(i)));
  }
  return out;
}

function isAggregateError(err: object): boolean {
  try {
    return err instanceof AggregateError;
  } catch {
    return false; // a Proxy whose getPrototypeOf throws
  }
}

function describe(err: unknown, counts: RepairCounts): ErrorInfo {
  if (err === null || typeof err !== "object") {
    return { $typeName: errorInfoType, type: typeof err, message: safeString(textOf(err), counts, repairLimits.maxErrorMessageLength), stack: "", causes: [] };
  }
  const name = read(err, "name");
  const ctor = read(err, "constructor");
  const ctorName = ctor === null || (typeof ctor !== "object" && typeof ctor !== "function") ? undefined : read(ctor, "name");
  const type = typeof name === "string" && name !== "" ? name : typeof ctorName === "string" && ctorName !== "" ? ctorName : "Error";
  const message = read(err, "message");
  const stack = read(err, "stack");
  return {
    $typeName: errorInfoType,
    type: safeString(type, counts, 256),
    message: safeString(typeof message === "string" ? message : message === undefined ? "" : textOf(message), counts, repairLimits.maxErrorMessageLength),
    stack: typeof stack === "string" ? safeString(stack, counts, repairLimits.maxStackLength) : "",
    causes: [],
  };
}

/** `String(v)`, or a placeholder when converting throws (a hostile `toString`, a Symbol's description getter). */
function textOf(v: unknown): string {
  try {
    return String(v);
  } catch {
    return "[unprintable]";
  }
}

/** Reads a property, treating a throwing getter as absent. */
function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
