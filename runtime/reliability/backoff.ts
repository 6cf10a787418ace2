import { maxTimerMs, OptionProblems } from "../config/option-problems.js";

/** Options of {@link Backoff}. See {@link backoffDefaults}. */
export interface BackoffOptions {
  /** Cap of the first delay, in ms. Default 100. */
  initialDelayMs?: number;
  /** Largest delay, in ms; also caps a server's `retryAfterMs`. Default 30 000. */
  maxDelayMs?: number;
  /** Growth of the cap per attempt. Default 2. */
  multiplier?: number;
  /** Uniform random source in [0, 1), injectable for deterministic tests. Default `Math.random`. */
  random?: () => number;
}

/** {@link BackoffOptions} after defaults are applied. */
export interface ResolvedBackoffOptions {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  readonly random: () => number;
}

/**
 * Defaults of {@link BackoffOptions}: caps of 100 ms, 200 ms, 400 ms … doubling up to 30 s (reached
 * at the 10th retry). Short enough to ride out a collector restart within a second or two, long enough
 * at the top that a dead collector costs one attempt per ~15 s on average; the circuit breaker stops
 * attempts altogether while it is open.
 */
export const backoffDefaults = Object.freeze({
  initialDelayMs: 100,
  maxDelayMs: 30_000,
  multiplier: 2,
} as const);

/**
 * Checks options and applies {@link backoffDefaults}.
 * @throws TelemetryError `config_invalid` naming every bad key (the only place this module throws).
 */
export function resolveBackoffOptions(options: BackoffOptions = {}): ResolvedBackoffOptions {
  const problems = new OptionProblems("backoff");
  problems.unknownKeys(options, ["initialDelayMs", "maxDelayMs", "multiplier", "random"]);
  const initialDelayMs = options.initialDelayMs ?? backoffDefaults.initialDelayMs;
  const maxDelayMs = options.maxDelayMs ?? backoffDefaults.maxDelayMs;
  const multiplier = options.multiplier ?? backoffDefaults.multiplier;
  const random = options.random ?? Math.random;
  problems.integer("initialDelayMs", initialDelayMs, 1, maxTimerMs, "100");
  problems.integer("maxDelayMs", maxDelayMs, 1, maxTimerMs, "30000");
  if (typeof initialDelayMs === "number" && typeof maxDelayMs === "number" && initialDelayMs > maxDelayMs) {
    problems.add("maxDelayMs", maxDelayMs, `at least initialDelayMs (${initialDelayMs})`, `30000`);
  }
  if (typeof multiplier !== "number" || !Number.isFinite(multiplier) || multiplier < 1) problems.add("multiplier", multiplier, "a number ≥ 1", "2");
  problems.func("random", random);
  problems.throwIfAny();
  return Object.freeze({ initialDelayMs, maxDelayMs, multiplier, random });
}

/**
 * The "full jitter" delay of retry number `attempt` (0-based): uniform in
 * `[0, min(maxDelayMs, initialDelayMs × multiplier^attempt))`, rounded down to whole ms.
 * `random01` is a draw in [0, 1); values outside are clamped. Pure; never throws.
 */
export function fullJitterDelayMs(attempt: number, options: ResolvedBackoffOptions, random01: number): number {
  const cap = Math.min(options.maxDelayMs, options.initialDelayMs * options.multiplier ** Math.max(0, attempt));
  const draw = random01 >= 0 && random01 < 1 ? random01 : random01 >= 1 ? 1 - Number.EPSILON : 0;
  return Math.floor(cap * draw);
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * spreads retries of many clients over the whole window instead of synchronising them.
 * One instance per retried operation; {@link Backoff.reset} after a success.
 *
 * A server's `retryAfterMs` (Retry-After, a throttling hint) replaces the jittered delay, capped by
 * `maxDelayMs` so a bogus hint cannot park the sink for hours. Never throws after construction.
 */
export class Backoff {
  readonly options: ResolvedBackoffOptions;
  #attempt = 0;

  /** @throws TelemetryError `config_invalid` on bad options. */
  constructor(options?: BackoffOptions) {
    this.options = resolveBackoffOptions(options);
  }

  /** Number of delays handed out since the last {@link Backoff.reset}. */
  get attempt(): number {
    return this.#attempt;
  }

  /**
   * The delay before the next retry, in ms, and advances the attempt counter.
   * @param retryAfterMs - the server's hint; used (capped by `maxDelayMs`) when it is a finite number ≥ 0.
   */
  nextDelayMs(retryAfterMs?: number): number {
    const attempt = this.#attempt++;
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
      return Math.min(Math.ceil(retryAfterMs), this.options.maxDelayMs);
    }
    let draw: number;
    try {
      draw = this.options.random();
    } catch {
      draw = 0.5; // an injected random source that throws must not break the retry loop
    }
    return fullJitterDelayMs(attempt, this.options, draw);
  }

  /** Starts over at the first (shortest) delay. */
  reset(): void {
    this.#attempt = 0;
  }
}
