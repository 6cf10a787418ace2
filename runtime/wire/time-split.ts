import { isoSecondPrefix } from "./iso-time.js";

const nanosPerSecond = 1_000_000_000n;

/** A time as whole seconds since the Unix epoch and the nanoseconds within that second (0 to 999,999,999). */
export interface SplitTime {
  second: number;
  nanos: number;
}

/** A split time as nanoseconds since the Unix epoch. */
export function splitTimeToNanos(time: SplitTime): bigint {
  return BigInt(time.second) * nanosPerSecond + BigInt(time.nanos);
}

/** Nanoseconds since the Unix epoch (≥ 0), split. */
export function splitNanos(nanos: bigint): SplitTime {
  return { second: Number(nanos / nanosPerSecond), nanos: Number(nanos % nanosPerSecond) };
}

/**
 * Nanoseconds since the Unix epoch split into whole seconds and the nanoseconds within them, for
 * writers of times that come in time order: a time within the second of the last one costs one
 * subtraction, the same time again nothing; the ISO-8601 text of the second (`YYYY-MM-DDTHH:MM:SS.`)
 * is made once per second. Not re-entrant.
 */
export class TimeSplit {
  /** The whole seconds of the last time split. */
  second = 0;
  #base = 0n;
  #lastTime = -1n;
  #lastSub = 0;
  #isoSecond = -1;
  readonly #isoPrefix = new Uint8Array(20);

  /** Splits `nanos` (≥ 0): returns the nanoseconds within its second and leaves the second in {@link second}. */
  split(nanos: bigint): number {
    if (nanos === this.#lastTime) return this.#lastSub;
    let sub = nanos >= this.#base ? Number(nanos - this.#base) : -1;
    if (!(sub < 1_000_000_000 && sub >= 0)) {
      const second = nanos / nanosPerSecond;
      this.#base = second * nanosPerSecond;
      this.second = Number(second);
      sub = Number(nanos - this.#base);
    }
    this.#lastTime = nanos;
    this.#lastSub = sub;
    return sub;
  }

  /** `YYYY-MM-DDTHH:MM:SS.` of `second` (whole seconds since the Unix epoch) as 20 ASCII bytes (valid until the next call). */
  isoPrefix(second: number): Uint8Array {
    if (this.#isoSecond !== second) {
      const iso = isoSecondPrefix(second);
      for (let i = 0; i < 20; i++) this.#isoPrefix[i] = iso.charCodeAt(i);
      this.#isoSecond = second;
    }
    return this.#isoPrefix;
  }
}
