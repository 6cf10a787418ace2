import type { Value } from "../../generated/index.js";
import { errorInfoFromUnknown } from "./error-info.js";
import { copiedPrefix } from "./flat-copy.js";
import { type Redaction, redactedValue } from "./redaction.js";
import { type RepairCounts, repairLimits } from "./repair.js";
import { safeString } from "./safe-string.js";
import { enumerableSymbolKeyCount } from "./symbol-keys.js";
import { mapEntryBytes, valueSizes } from "./value-size.js";

const valueType = "emp.telemetry.v1.Value";
const listType = "emp.telemetry.v1.ListValue";
const mapType = "emp.telemetry.v1.MapValue";

/** Keys that would reach an object's prototype; they are renamed with a leading `_`. */
const dangerousKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * A budget for one {@link safeData} call beyond the contract's limits, which bound each list and map
 * but not a whole record (a list of 1024 references to one list of 1024 lists is a billion values),
 * and where the call reports the size of its result.
 */
export interface DataBudget {
  /** Most values built in all, nested ones included; past it values are dropped (counted). */
  readonly maxValues: number;
  /** Most heap bytes built (see {@link valueSizes}); past it values are dropped (counted). */
  readonly maxBytes: number;
  /** Set by safeData: the heap bytes its result holds (an estimate, see {@link valueSizes}). */
  bytes: number;
}

/** State of one walk: the repair counters, the objects being walked (cycles), the values left to build and the bytes built so far. */
interface Walk {
  readonly counts: RepairCounts;
  /** Keys whose values are redacted, when any. */
  readonly redaction: Redaction | undefined;
  readonly ancestors: object[];
  valuesLeft: number;
  readonly maxBytes: number;
  bytes: number;
}

/**
 * Turns a service's free-form data (`log.info(msg, data)`) into the contract's typed values, never
 * throwing and never producing a record that fails validation. Every repair is counted in `counts`:
 * - cycles and nesting deeper than {@link repairLimits.maxDepth} → the string `"[circular]"` / `"[max depth]"`;
 * - `bigint` → int64 (a decimal string when outside 64 bits); non-finite numbers → their name as a string;
 * - functions, symbols and `undefined` → dropped; enumerable symbol keys → dropped (the contract's keys are strings);
 * - `__proto__`, `constructor`, `prototype` keys → prefixed with `_`; empty keys → `"(empty)"`;
 *   keys longer than 256 characters → truncated;
 * - strings with lone surrogates → made well-formed (U+FFFD); strings longer than the contract allows → truncated
 *   with a marker saying how much was cut (a copy: the original is not kept alive);
 * - more than 256 entries in a map or 1024 items in a list → the rest dropped, uncounted by walking: the work
 *   per list, `Set`, `Map` or typed array is bounded by the limits whatever its size (a sparse array of length
 *   2³²−1, a 50 MB Buffer); a plain object's keys are enumerated by V8 in one native pass;
 * - `Error` objects → a map with `exception.type`, `exception.message`, `exception.stacktrace` and the cause chain;
 * - `Date` → ISO string; `Map` → map; `Set` and typed arrays → lists; other objects → their own enumerable properties;
 * - objects that throw while being read (hostile getters, proxies) → `"[unreadable]"`.
 *
 * With a `redaction`, the value under a key it redacts (at any depth) becomes `"[redacted]"` without being
 * read, counted in `redaction.count`; its paths are applied afterwards.
 *
 * With a `budget`, at most `budget.maxValues` values and `budget.maxBytes` bytes are built, whatever the
 * data's shape (the rest dropped, counted), and `budget.bytes` is set to the heap bytes the result holds,
 * tallied during the walk.
 */
export function safeData(data: unknown, counts: RepairCounts, budget?: DataBudget, redaction?: Redaction): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  const walk: Walk = {
    counts,
    redaction,
    ancestors: [],
    valuesLeft: budget === undefined ? Number.POSITIVE_INFINITY : budget.maxValues,
    maxBytes: budget === undefined ? Number.POSITIVE_INFINITY : budget.maxBytes,
    bytes: 0,
  };
  if (data === null || typeof data !== "object") {
    if (data !== undefined) {
      out.value = toValue(data, walk, 0) ?? stringValue(safeString(String(data), counts), walk);
      walk.bytes += mapEntryBytes("value");
    }
  } else {
    walk.ancestors.push(data);
    try {
      fillMap(out, data, walk, 1);
    } catch {
      counts.droppedValues++;
      out["(unreadable)"] = stringValue("[unreadable]", walk);
      walk.bytes += mapEntryBytes("(unreadable)");
    }
  }
  if (redaction !== undefined && redaction.paths.length > 0) redaction.redactPaths(out);
  if (budget !== undefined) budget.bytes = walk.bytes;
  return out;
}

function fillMap(out: { [key: string]: Value }, obj: object, walk: Walk, depth: number): void {
  const max = repairLimits.maxMapEntries;
  let n = 0;
  if (obj instanceof Map) {
    let seen = 0;
    for (const [k, v] of obj) {
      if (seen++ === max) break;
      n = put(out, n, String(k), v, walk, depth);
    }
    walk.counts.droppedValues += obj.size - Math.min(seen, max);
    return;
  }
  // Own enumerable string keys, in Object.keys's order, without allocating its array. V8 lists an
  // object's keys once, natively, before the first turn; past the limit a key is only counted.
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    if (n === max) walk.counts.droppedValues++;
    else n = put(out, n, k, (obj as Record<string, unknown>)[k], walk, depth);
  }
  walk.counts.droppedValues += enumerableSymbolKeyCount(obj);
}

/** Puts one entry of a map being filled, `n` entries in; returns how many there are after. */
function put(out: { [key: string]: Value }, n: number, rawKey: string, raw: unknown, walk: Walk, depth: number): number {
  const redaction = walk.redaction;
  const v = redaction !== undefined && raw !== undefined && redaction.redactsKey(rawKey) ? redacted(redaction, walk) : toValue(raw, walk, depth);
  if (v === undefined) return n;
  const key = safeKey(rawKey, walk.counts);
  walk.bytes += mapEntryBytes(key);
  out[key] = v;
  return n + 1;
}

/** The shared `"[redacted]"` value, counted (its bytes are shared: none added). */
function redacted(redaction: Redaction, walk: Walk): Value | undefined {
  if (walk.valuesLeft <= 0) return undefined;
  walk.valuesLeft--;
  redaction.count++;
  return redactedValue;
}

function safeKey(key: string, counts: RepairCounts): string {
  let k = key;
  if (k.length !== 0 && k.length <= repairLimits.maxKeyLength && k !== "__proto__" && k !== "constructor" && k !== "prototype") return k;
  if (k === "") {
    counts.renamedKeys++;
    return "(empty)";
  }
  if (dangerousKeys.has(k)) {
    counts.renamedKeys++;
    k = `_${k}`;
  }
  if (k.length > repairLimits.maxKeyLength) {
    counts.renamedKeys++;
    k = copiedPrefix(k, repairLimits.maxKeyLength);
  }
  return k;
}

// Values are never mutated once built, so the common small ones are shared instead of allocated
// per call: booleans, and integers from -128 to 4095.
const trueValue: Value = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "boolValue", value: true }) }) as Value;
const falseValue: Value = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "boolValue", value: false }) }) as Value;
const smallInts: (Value | undefined)[] = [];

function intValue(n: number, walk: Walk): Value {
  if (n >= -128 && n < 4096) {
    const cached = smallInts[n + 128];
    if (cached !== undefined) return cached;
    const v = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "intValue", value: BigInt(n) }) }) as Value;
    smallInts[n + 128] = v;
    return v;
  }
  walk.bytes += valueSizes.value + valueSizes.int;
  return { $typeName: valueType, kind: { case: "intValue", value: BigInt(n) } };
}

// Short strings repeat (routes, statuses, ids of the same job): their values are shared from a small
// cache, emptied when it fills, instead of allocated on every call. A miss counts in full (an evicted
// value lives on in the records that hold it); a hit adds nothing.
const shortStrings = new Map<string, Value>();

function shortStringValue(raw: string, walk: Walk): Value {
  const hit = shortStrings.get(raw);
  if (hit !== undefined) return hit;
  const s = safeString(raw, walk.counts);
  walk.bytes += valueSizes.value + valueSizes.string + 2 * s.length;
  const v = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "stringValue", value: s }) }) as Value;
  if (shortStrings.size >= 4096) shortStrings.clear();
  if (s === raw) shortStrings.set(raw, v);
  return v;
}

function stringValue(s: string, walk: Walk): Value {
  walk.bytes += valueSizes.value + valueSizes.string + 2 * s.length;
  return { $typeName: valueType, kind: { case: "stringValue", value: s } };
}

function toValue(raw: unknown, walk: Walk, depth: number): Value | undefined {
  if (walk.valuesLeft <= 0 || walk.bytes > walk.maxBytes) {
    if (raw !== undefined) walk.counts.droppedValues++;
    return undefined;
  }
  walk.valuesLeft--;
  switch (typeof raw) {
    case "string":
      return raw.length <= 64 ? shortStringValue(raw, walk) : stringValue(safeString(raw, walk.counts), walk);
    case "boolean":
      return raw ? trueValue : falseValue;
    case "number":
      if (Number.isSafeInteger(raw)) return intValue(raw, walk);
      if (Number.isFinite(raw)) {
        walk.bytes += valueSizes.value + valueSizes.double;
        return { $typeName: valueType, kind: { case: "doubleValue", value: raw } };
      }
      walk.counts.nonFiniteNumbers++;
      return stringValue(String(raw), walk);
    case "bigint":
      if (raw >= -(2n ** 63n) && raw < 2n ** 63n) {
        walk.bytes += valueSizes.value + valueSizes.int;
        return { $typeName: valueType, kind: { case: "intValue", value: raw } };
      }
      walk.counts.truncatedStrings++;
      return stringValue(raw.toString(), walk);
    case "undefined":
      return undefined;
    case "function":
    case "symbol":
      walk.counts.droppedValues++;
      return undefined;
    case "object":
      if (raw === null) return undefined;
      try {
        return objectValue(raw, walk, depth);
      } catch {
        // A Proxy or getter that throws: keep the key, say why.
        walk.counts.droppedValues++;
        return stringValue("[unreadable]", walk);
      }
  }
}

function objectValue(obj: object, walk: Walk, depth: number): Value {
  if (walk.ancestors.includes(obj)) {
    walk.counts.cycles++;
    return stringValue("[circular]", walk);
  }
  if (depth >= repairLimits.maxDepth) {
    walk.counts.droppedValues++;
    return stringValue("[max depth]", walk);
  }
  if (obj instanceof Date) return stringValue(Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString(), walk);
  if (obj instanceof Error) return errorValue(obj, walk, depth);
  walk.ancestors.push(obj);
  try {
    if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
      const all = obj as ArrayLike<unknown>;
      const length = typeof all.length === "number" ? all.length : 0; // a DataView has none
      return listValue(all, length, walk, depth);
    }
    if (obj instanceof Set) return listValue(firstItems(obj), obj.size, walk, depth);
    const fields: { [key: string]: Value } = {};
    walk.bytes += valueSizes.value + valueSizes.map;
    fillMap(fields, obj, walk, depth + 1);
    return { $typeName: valueType, kind: { case: "mapValue", value: { $typeName: mapType, fields } } };
  } finally {
    walk.ancestors.pop();
  }
}

/** The first items of a Set, read by iterating no further than a list keeps. */
function firstItems(set: Set<unknown>): unknown[] {
  const items: unknown[] = [];
  for (const item of set) {
    if (items.length === repairLimits.maxListItems) break;
    items.push(item);
  }
  return items;
}

/** A list of the first items of `items` (of `length` in all), read by index: never a copy of the whole. */
function listValue(items: ArrayLike<unknown>, length: number, walk: Walk, depth: number): Value {
  const kept = Math.min(length, repairLimits.maxListItems);
  walk.counts.droppedValues += length - kept;
  const values: Value[] = [];
  for (let i = 0; i < kept; i++) {
    const v = toValue(items[i], walk, depth + 1);
    if (v !== undefined) values.push(v);
  }
  walk.bytes += valueSizes.value + valueSizes.list + valueSizes.listItem * values.length;
  return { $typeName: valueType, kind: { case: "listValue", value: { $typeName: listType, values } } };
}

function errorValue(err: Error, walk: Walk, depth: number): Value {
  const info = errorInfoFromUnknown(err, walk.counts);
  const fields: { [key: string]: Value } = {
    "exception.type": stringValue(info.type, walk),
    "exception.message": stringValue(info.message, walk),
  };
  walk.bytes += valueSizes.value + valueSizes.map + mapEntryBytes("exception.type") + mapEntryBytes("exception.message");
  if (info.stack !== "") {
    fields["exception.stacktrace"] = stringValue(info.stack, walk);
    walk.bytes += mapEntryBytes("exception.stacktrace");
  }
  if (info.causes.length > 0) {
    const causes = objectValue(
      info.causes.map((c) => ({ "exception.type": c.type, "exception.message": c.message })),
      walk,
      depth + 1,
    );
    fields["emp.exception.causes"] = causes;
    walk.bytes += mapEntryBytes("emp.exception.causes");
  }
  return { $typeName: valueType, kind: { case: "mapValue", value: { $typeName: mapType, fields } } };
}
