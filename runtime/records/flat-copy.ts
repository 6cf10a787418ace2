/** Where {@link flattened} stores its probe, so that no compiler drops the call as unused. */
const probe = { last: 0 };

/**
 * `s` with its characters in one block of its own. A string made by `+` is a pair of parts in V8; a
 * part made by `slice` keeps its whole original alive (a 32 KB prefix of a 1 MB string holds 1 MB).
 * Converting to a number flattens the pair in place into a new contiguous copy, releasing both parts
 * (the cheapest reliable way measured on Node 20: ~4 µs for 32 KB; a Buffer round trip is 30 µs).
 */
export function flattened(s: string): string {
  probe.last = Number(s);
  return s;
}

/** The first `length` UTF-16 units of `s` as a string of its own, which does not keep `s` alive. */
export function copiedPrefix(s: string, length: number): string {
  if (length < 2) return s.slice(0, length);
  return flattened(s.slice(0, length - 1) + s.charAt(length - 1));
}
