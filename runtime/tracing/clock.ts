/** Nanoseconds between the Unix epoch and `process.hrtime.bigint()`'s origin, fixed at load. */
const epochOffsetNanos = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Now, in nanoseconds since the Unix epoch, with the monotonic clock's resolution. */
export function nowUnixNanos(): bigint {
  return epochOffsetNanos + process.hrtime.bigint();
}

let lastSeconds = -1;
let lastSecondsNanos = 0n;

/**
 * An OpenTelemetry HrTime `[seconds, nanoseconds]` as nanoseconds since the Unix epoch. The
 * seconds' part is kept from the last call (spans end in time order), so most calls add only.
 */
export function hrTimeToNanos(time: readonly [number, number]): bigint {
  if (time[0] !== lastSeconds) {
    lastSecondsNanos = BigInt(time[0]) * 1_000_000_000n;
    lastSeconds = time[0];
  }
  return lastSecondsNanos + BigInt(time[1]);
}
