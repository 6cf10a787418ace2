/** Nanoseconds between the Unix epoch and `process.hrtime.bigint()`'s origin, fixed at load. */
const epochOffsetNanos = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Now, in nanoseconds since the Unix epoch, with the monotonic clock's resolution. */
export function nowUnixNanos(): bigint {
  return epochOffsetNanos + process.hrtime.bigint();
}

/** An OpenTelemetry HrTime `[seconds, nanoseconds]` as nanoseconds since the Unix epoch. */
export function hrTimeToNanos(time: readonly [number, number]): bigint {
  return BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
}
