/** How many own enumerable string keys `map` has, counted without allocating Object.keys's array (for per-record size estimates). */
export function ownKeyCount(map: object): number {
  let n = 0;
  for (const k in map) if (Object.hasOwn(map, k)) n++;
  return n;
}
