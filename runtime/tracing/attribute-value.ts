import type { AttributeValue } from "@opentelemetry/api";

/** A string, number or boolean: the primitive types an attribute value may have. */
function isPrimitiveType(type: string): boolean {
  return type === "string" || type === "number" || type === "boolean";
}

/** Whether every element that is not null/undefined has one and the same primitive type. */
function isHomogeneousArray(values: readonly unknown[]): boolean {
  let type: string | undefined;
  for (const element of values) {
    if (element == null) continue;
    const elementType = typeof element;
    if (type === undefined && isPrimitiveType(elementType)) type = elementType;
    else if (elementType !== type) return false;
  }
  return true;
}

/**
 * Whether `value` is an OpenTelemetry attribute value (as `@opentelemetry/core`'s `isAttributeValue`):
 * null/undefined, a string, number or boolean, or an array of one of them (null/undefined elements allowed).
 */
export function isAttributeValue(value: unknown): value is AttributeValue {
  if (value == null) return true;
  if (Array.isArray(value)) return isHomogeneousArray(value);
  return isPrimitiveType(typeof value);
}
