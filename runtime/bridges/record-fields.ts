/**
 * Sets `data[key] = value` as an own data property, even for `__proto__` (which `JSON.parse` leaves
 * as an own key of its results and which plain assignment would turn into a prototype
 * change). Internal to `runtime/bridges`.
 */
export function setField(data: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  else data[key] = value;
}
