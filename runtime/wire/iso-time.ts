/**
 * ISO-8601 UTC times with nanosecond precision (`2023-11-14T22:13:20.123456789Z`), as text and as
 * digits written straight into a buffer. The same text as the contract's `nanosToIso`.
 */

const nanosPerSecond = 1_000_000_000n;

/** "000" to "999" as ASCII digits, three bytes each. */
const threeDigits = new Uint8Array(3000);
for (let i = 0; i < 1000; i++) {
  threeDigits[i * 3] = 48 + Math.floor(i / 100);
  threeDigits[i * 3 + 1] = 48 + (Math.floor(i / 10) % 10);
  threeDigits[i * 3 + 2] = 48 + (i % 10);
}

/** `YYYY-MM-DDTHH:MM:SS.` of a Unix time in whole seconds: an ISO-8601 UTC time up to its fraction (20 characters). */
export function isoSecondPrefix(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.`;
}

/** `seconds.nanos` (a forward EventTime) as ISO-8601 UTC with 9 fractional digits, e.g. `2023-11-14T22:13:20.123456789Z`. */
export function isoOfEventTime(seconds: number, nanos: number): string {
  return `${isoSecondPrefix(seconds) + String(nanos).padStart(9, "0")}Z`;
}

/**
 * Nanoseconds since the Unix epoch as ISO-8601 UTC with 9 fractional digits: the contract's
 * `nanosToIso` text, also before 1970 (the second rounded toward zero, the fraction unsigned).
 */
export function isoOfNanos(nanos: bigint): string {
  const second = nanos / nanosPerSecond;
  const sub = nanos - second * nanosPerSecond;
  return isoOfEventTime(Number(second), Number(sub < 0n ? -sub : sub));
}

/**
 * Writes `sub` (0..999999999 nanoseconds) as nine ASCII digits at `b[at]`..`b[at + 8]`, three at a
 * time from a table: no division by ten per digit, no string. The caller made room.
 */
export function writeNineDigits(b: Uint8Array, at: number, sub: number): void {
  const high = Math.floor(sub / 1_000_000);
  const rest = sub - high * 1_000_000;
  const mid = Math.floor(rest / 1000);
  const low = rest - mid * 1000;
  const d = threeDigits;
  b[at] = d[high * 3]!;
  b[at + 1] = d[high * 3 + 1]!;
  b[at + 2] = d[high * 3 + 2]!;
  b[at + 3] = d[mid * 3]!;
  b[at + 4] = d[mid * 3 + 1]!;
  b[at + 5] = d[mid * 3 + 2]!;
  b[at + 6] = d[low * 3]!;
  b[at + 7] = d[low * 3 + 1]!;
  b[at + 8] = d[low * 3 + 2]!;
}
