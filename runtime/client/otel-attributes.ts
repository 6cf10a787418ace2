import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { valueToPlain } from "../../generated/emp/telemetry/v1/value_contract.js";
import type { RepairCounts } from "../records/repair.js";
import { safeData } from "../records/safe-data.js";

/**
 * OpenTelemetry span attributes of free-form data: strings, numbers, booleans and arrays of one of
 * them pass as they are; anything else (maps, mixed lists, errors) is made safe and stored as JSON
 * text, since span attributes cannot nest. Never throws.
 */
export function toOtelAttributes(data: unknown, counts: RepairCounts): Attributes {
  const out: Attributes = {};
  const values = safeData(data, counts);
  for (const key of Object.keys(values)) {
    const plain = valueToPlain(values[key]!);
    out[key] = isAttributeValue(plain) ? plain : JSON.stringify(plain);
  }
  return out;
}

function isAttributeValue(v: unknown): v is AttributeValue {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return true;
  if (!Array.isArray(v) || v.length === 0) return Array.isArray(v);
  const t = typeof v[0];
  return (t === "string" || t === "number" || t === "boolean") && v.every((x) => typeof x === t);
}
