import type { Value } from "../../generated/index.js";
import { errorInfoFromUnknown } from "./error-info.js";
import { type RepairCounts, repairLimits } from "./repair.js";
import { safeString } from "./safe-string.js";

const valueType = "emp.telemetry.v1.Value";
const listType = "emp.telemetry.v1.ListValue";
const mapType = "emp.telemetry.v1.MapValue";

/** Keys that would reach an object's prototype; they are renamed with a leading `_`. */
const dangerousKeys: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Turns a service's free-form data (`log.info(msg, data)`) into the contract's typed values, never
 * throwing and never producing a record that fails validation. Every repair is counted in `counts`:
 * - cycles and nesting deeper than {@link repairLimits.maxDepth} → the string `"[circular]"` / `"[max depth]"`;
 * - `bigint` → int64 (a decimal string when outside 64 bits); non-finite numbers → their name as a string;
 * - functions, symbols and `undefined` → dropped;
 * - `__proto__`, `constructor`, `prototype` keys → prefixed with `_`; empty keys → `"(empty)"`;
 *   keys longer than 256 characters → truncated;
 * - strings with lone surrogates → made well-formed (U+FFFD); strings longer than the contract allows → truncated
 *   with a marker saying how much was cut;
 * - more than 256 entries in a map or 1024 items in a list → the rest dropped;
 * - `Error` objects → a map with `exception.type`, `exception.message`, `exception.stacktrace` and the cause chain;
 * - `Date` → ISO string; `Map` → map; `Set` and typed arrays → lists; other objects → their own enumerable properties;
 * - objects that throw while being read (hostile getters, proxies) → `"[unreadable]"`.
 */
export function safeData(data: unknown, counts: RepairCounts): { [key: string]: Value } {
  const out: { [key: string]: Value } = {};
  if (data === null || typeof data !== "object") {
    if (data !== undefined) out.value = toValue(data, counts, 0, []) ?? stringValue(String(data));
    return out;
  }
  try {
    fillMap(out, data, counts, 1, [data]);
  } catch {
    counts.droppedValues++;
    out["(unreadable)"] = stringValue("[unreadable]");
  }
  return out;
}

function fillMap(out: { [key: string]: Value }, obj: object, counts: RepairCounts, depth: number, ancestors: object[]): void {
  if (obj instanceof Map) {
    let n = 0;
    for (const [k, v] of obj) n = put(out, n, String(k), v, counts, depth, ancestors);
    return;
  }
  // Own enumerable string keys, in Object.keys's order, without allocating its array.
  let n = 0;
  for (const k in obj) if (Object.hasOwn(obj, k)) n = put(out, n, k, (obj as Record<string, unknown>)[k], counts, depth, ancestors);
}

/** Puts one entry of a map being filled, `n` entries in; returns how many there are after. */
function put(out: { [key: string]: Value }, n: number, rawKey: string, raw: unknown, counts: RepairCounts, depth: number, ancestors: object[]): number {
  if (n >= repairLimits.maxMapEntries) {
    counts.droppedValues++;
    return n;
  }
  const v = toValue(raw, counts, depth, ancestors);
  if (v === undefined) return n;
  out[safeKey(rawKey, counts)] = v;
  return n + 1;
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
    k = k.slice(0, repairLimits.maxKeyLength);
  }
  return k;
}

// Values are never mutated once built, so the common small ones are shared instead of allocated
// per call: booleans, and integers from -128 to 4095.
const trueValue: Value = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "boolValue", value: true }) }) as Value;
const falseValue: Value = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "boolValue", value: false }) }) as Value;
const smallInts: (Value | undefined)[] = [];

function intValue(n: number): Value {
  if (n >= -128 && n < 4096) {
    const cached = smallInts[n + 128];
    if (cached !== undefined) return cached;
    const v = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "intValue", value: BigInt(n) }) }) as Value;
    smallInts[n + 128] = v;
    return v;
  }
  return { $typeName: valueType, kind: { case: "intValue", value: BigInt(n) } };
}

// Short strings repeat (routes, statuses, ids of the same job): their values are shared from a small
// cache, emptied when it fills, instead of allocated on every call.
const shortStrings = new Map<string, Value>();

function shortStringValue(raw: string, counts: RepairCounts): Value {
  const hit = shortStrings.get(raw);
  if (hit !== undefined) return hit;
  const s = safeString(raw, counts);
  const v = Object.freeze({ $typeName: valueType, kind: Object.freeze({ case: "stringValue", value: s }) }) as Value;
  if (shortStrings.size >= 4096) shortStrings.clear();
  if (s === raw) shortStrings.set(raw, v);
  return v;
}

function stringValue(s: string): Value {
  return { $typeName: valueType, kind: { case: "stringValue", value: s } };
}

function toValue(raw: unknown, counts: RepairCounts, depth: number, ancestors: object[]): Value | undefined {
  switch (typeof raw) {
    case "string":
      return raw.length <= 64 ? shortStringValue(raw, counts) : stringValue(safeString(raw, counts));
    case "boolean":
      return raw ? trueValue : falseValue;
    case "number":
      if (Number.isSafeInteger(raw)) return intValue(raw);
      if (Number.isFinite(raw)) return { $typeName: valueType, kind: { case: "doubleValue", value: raw } };
      counts.nonFiniteNumbers++;
      return stringValue(String(raw));
    case "bigint":
      if (raw >= -(2n ** 63n) && raw < 2n ** 63n) return { $typeName: valueType, kind: { case: "intValue", value: raw } };
      counts.truncatedStrings++;
      return stringValue(raw.toString());
    case "undefined":
      return undefined;
    case "function":
    case "symbol":
      counts.droppedValues++;
      return undefined;
    case "object":
      if (raw === null) return undefined;
      try {
        return objectValue(raw, counts, depth, ancestors);
      } catch {
        // A Proxy or getter that throws: keep the key, say why.
        counts.droppedValues++;
        return stringValue("[unreadable]");
      }
  }
}

function objectValue(obj: object, counts: RepairCounts, depth: number, ancestors: object[]): Value {
  if (ancestors.includes(obj)) {
    counts.cycles++;
    return stringValue("[circular]");
  }
  if (depth >= repairLimits.maxDepth) {
    counts.droppedValues++;
    return stringValue("[max depth]");
  }
  if (obj instanceof Date) return stringValue(Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString());
  if (obj instanceof Error) return errorValue(obj, counts, depth, ancestors);
  ancestors.push(obj);
  try {
    if (Array.isArray(obj) || obj instanceof Set || ArrayBuffer.isView(obj)) {
      const items = Array.isArray(obj) ? obj : obj instanceof Set ? [...obj] : Array.from(obj as unknown as ArrayLike<unknown>);
      const values: Value[] = [];
      for (const item of items) {
        if (values.length >= repairLimits.maxListItems) {
          counts.droppedValues++;
          continue;
        }
        const v = toValue(item, counts, depth + 1, ancestors);
        if (v !== undefined) values.push(v);
      }
      return { $typeName: valueType, kind: { case: "listValue", value: { $typeName: listType, values } } };
    }
    const fields: { [key: string]: Value } = {};
    fillMap(fields, obj, counts, depth + 1, ancestors);
    return { $typeName: valueType, kind: { case: "mapValue", value: { $typeName: mapType, fields } } };
  } finally {
    ancestors.pop();
  }
}

function errorValue(err: Error, counts: RepairCounts, depth: number, ancestors: object[]): Value {
  const info = errorInfoFromUnknown(err, counts);
  const fields: { [key: string]: Value } = {
    "exception.type": stringValue(info.type),
    "exception.message": stringValue(info.message),
  };
  if (info.stack !== "") fields["exception.stacktrace"] = stringValue(info.stack);
  if (info.causes.length > 0) {
    const causes = objectValue(
      info.causes.map((c) => ({ "exception.type": c.type, "exception.message": c.message })),
      counts,
      depth + 1,
      ancestors,
    );
    fields["emp.exception.causes"] = causes;
  }
  return { $typeName: valueType, kind: { case: "mapValue", value: { $typeName: mapType, fields } } };
}
