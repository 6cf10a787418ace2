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

function nextCauses(err: unknown): unknown[] {
  if (err === null || typeof err !== "object") return [];
  const out: unknown[] = [];
  const cause = read(err, "cause");
  if (cause !== undefined) out.push(cause);
  if (err instanceof AggregateError && Array.isArray(err.errors)) out.push(...(err.errors as unknown[]));
  return out;
}

function describe(err: unknown, counts: RepairCounts): ErrorInfo {
  if (err === null || typeof err !== "object") {
    return { $typeName: errorInfoType, type: typeof err, message: safeString(String(err), counts, repairLimits.maxErrorMessageLength), stack: "", causes: [] };
  }
  const name = read(err, "name");
  const ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
  const type = typeof name === "string" && name !== "" ? name : typeof ctor === "string" && ctor !== "" ? ctor : "Error";
  const message = read(err, "message");
  const stack = read(err, "stack");
  return {
    $typeName: errorInfoType,
    type: safeString(type, counts, 256),
    message: safeString(typeof message === "string" ? message : message === undefined ? "" : String(message), counts, repairLimits.maxErrorMessageLength),
    stack: typeof stack === "string" ? safeString(stack, counts, repairLimits.maxStackLength) : "",
    causes: [],
  };
}

/** Reads a property, treating a throwing getter as absent. */
function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
