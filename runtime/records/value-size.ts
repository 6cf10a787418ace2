import type { ErrorInfo, Value } from "../../generated/index.js";

/**
 * Heap bytes a queued record holds, per part of its typed `Value` tree (Node 20 on 64 bits, measured
 * with heap snapshots and `heapUsed` after gc; see test/records/value-size.test.ts). Byte-bounded
 * queues add these up, so that their bound bounds memory whatever the data: a string counts 2 bytes
 * a UTF-16 unit (its encoded UTF-8 size is at most 1.5 times that), containers count their slots.
 */
export const valueSizes = Object.freeze({
  /** A `Value` and its `kind` (two small objects), before its payload. */
  value: 80,
  /** Header of a string (its characters come on top, 2 bytes each). */
  string: 24,
  /** A 64-bit integer outside the shared small ones (a heap BigInt). */
  int: 24,
  /** A double (a heap number). */
  double: 16,
  /** A `ListValue` with its array and the array's first 17 slots (V8's first growth), before its items. */
  list: 192,
  /** One item of a list (its slot, with the array's growth slack). */
  listItem: 12,
  /** A `MapValue` with its fields object, before its entries. */
  map: 72,
  /** One entry of a map: its slot, and its share of the object's hidden classes when keys differ between records (its key, a string, comes on top). */
  mapEntry: 64,
  /** An `ErrorInfo` and its causes array, before its strings and causes. */
  errorInfo: 96,
});

/** Bytes of a string: header and 2 bytes a UTF-16 unit. */
export function stringBytes(s: string): number {
  return valueSizes.string + 2 * s.length;
}

/** Bytes of one map entry with this key (its slot and the key string), before its value. */
export function mapEntryBytes(key: string): number {
  return valueSizes.mapEntry + valueSizes.string + 2 * key.length;
}

/**
 * Bytes held by the entries of a map of values (a record's data or attributes), walking the tree.
 * Used where a map was not made by `safeData` (which tallies as it builds): bindings, finished entries.
 * Shared small values (booleans, small integers) count only their slot.
 */
export function valueMapBytes(fields: { readonly [key: string]: Value }): number {
  let bytes = 0;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    const v = fields[key];
    bytes += mapEntryBytes(key) + (v === undefined ? 0 : valueBytes(v));
  }
  return bytes;
}

/** Bytes held by one value and everything under it. */
export function valueBytes(v: Value): number {
  const kind = v.kind;
  switch (kind.case) {
    case "stringValue":
      return valueSizes.value + stringBytes(kind.value);
    case "intValue":
      return Object.isFrozen(v) ? 0 : valueSizes.value + valueSizes.int;
    case "doubleValue":
      return valueSizes.value + valueSizes.double;
    case "listValue": {
      let bytes = valueSizes.value + valueSizes.list;
      for (const item of kind.value.values) bytes += valueSizes.listItem + valueBytes(item);
      return bytes;
    }
    case "mapValue":
      return valueSizes.value + valueSizes.map + valueMapBytes(kind.value.fields);
    default:
      return 0;
  }
}

/** Bytes held by an error and its causes (type, message and stack strings). */
export function errorInfoBytes(info: ErrorInfo): number {
  let bytes = valueSizes.errorInfo + stringBytes(info.type) + stringBytes(info.message) + stringBytes(info.stack);
  for (const cause of info.causes) bytes += errorInfoBytes(cause);
  return bytes;
}
