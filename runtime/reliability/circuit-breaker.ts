import { maxTimerMs, OptionProblems } from "../config/option-problems.js";

/**
 * State of a {@link CircuitBreaker}:
 * - `closed`: requests flow; consecutive failures are counted.
 * - `open`: no requests until the cool-down has passed.
 * - `half_open`: exactly one probe request is allowed; its outcome closes or re-opens the breaker.
 */
export type BreakerState = "closed" | "open" | "half_open";

/** One state change, as given to {@link CircuitBreakerOptions.onStateChange}. */
export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** When it happened, in ms since the epoch (from the breaker's clock). */
  readonly atMs: number;
  /** Consecutive failures counted when it happened (0 after a close). */
  readonly consecutiveFailures: number;
  /** The cool-down in force: for `open` how long it stays open before the probe, in ms. */
  readonly cooldownMs: number;
}

/** Options of {@link CircuitBreaker}. See {@link circuitBreakerDefaults}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed breaker. Default 5. */
  failureThreshold?: number;
  /** Time open before the first half-open probe, in ms. Default 10 000. */
  cooldownMs?: number;
  /** The cool-down doubles after each failed probe, up to this, in ms. Default 300 000 (5 min). */
  maxCooldownMs?: number;
  /** Called synchronously on every state change (e.g. for debug mode). Its errors are caught and counted. */
  onStateChange?: (transition: BreakerTransition) => void;
  /** Clock in ms, injectable for tests. Default `Date.now`. */
  now?: () => number;
}

/** {@link CircuitBreakerOptions} after defaults are applied. */
export interface ResolvedCircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
  readonly onStateChange: ((transition: BreakerTransition) => void) | undefined;
  readonly now: () => number;
}

/**
 * Defaults of {@link CircuitBreakerOptions}: open after 5 consecutive failures (one blip or a
 * collector restart does not open it, a dead collector does within a few backoff rounds), probe after
 * 10 s, then 20 s, 40 s … up to 5 min while the probes keep failing, so a collector that is gone for
 * hours costs one batch attempt per 5 min.
 */
export const circuitBreakerDefaults = Object.freeze({
  failureThreshold: 5,
  cooldownMs: 10_000,
  maxCooldownMs: 300_000,
} as const);

/**
 * Checks options and applies {@link circuitBreakerDefaults}.
 * @throws TelemetryError `config_invalid` naming every bad key (the only place this module throws).
 */
export function resolveCircuitBreakerOptions(options: CircuitBreakerOptions = {}): ResolvedCircuitBreakerOptions {
  const problems = new OptionProblems("circuit breaker");
  problems.unknownKeys(options, ["failureThreshold", "cooldownMs", "maxCooldownMs", "onStateChange", "now"]);
  const failureThreshold = options.failureThreshold ?? circuitBreakerDefaults.failureThreshold;
  const cooldownMs = options.cooldownMs ?? circuitBreakerDefaults.cooldownMs;
  const maxCooldownMs = options.maxCooldownMs ?? Math.max(circuitBreakerDefaults.maxCooldownMs, typeof cooldownMs === "number" ? cooldownMs : 0);
  const now = options.now ?? Date.now;
  problems.integer("failureThreshold", failureThreshold, 1, 1_000_000, "5");
  problems.integer("cooldownMs", cooldownMs, 1, maxTimerMs, "10000");
  problems.integer("maxCooldownMs", maxCooldownMs, 1, maxTimerMs, "300000");
  if (typeof cooldownMs === "number" && typeof maxCooldownMs === "number" && maxCooldownMs < cooldownMs) {
    problems.add("maxCooldownMs", maxCooldownMs, `at least cooldownMs (${cooldownMs})`, `300000`);
  }
  problems.func("onStateChange", options.onStateChange);
  problems.func("now", now);
  problems.throwIfAny();
  return Object.freeze({ failureThreshold, cooldownMs, maxCooldownMs, onStateChange: options.onStateChange, now });
}

/**
 * A per-sink circuit breaker: `closed` → `open` after `failureThreshold` consecutive failures →
 * `half_open` (one probe) once the cool-down has passed → `closed` on the probe's success, or `open`
 * again with the cool-down doubled (up to `maxCooldownMs`) on its failure. A success while closed
 * resets the failure count.
 *
 * It holds no timer: the move to `half_open` happens when {@link CircuitBreaker.tryAcquire} is called
 * after the cool-down, and {@link CircuitBreaker.remainingCooldownMs} tells the caller when to ask.
 * Never throws after construction; a throwing listener is caught and counted in `listenerErrors`.
 */
export class CircuitBreaker {
  readonly options: ResolvedCircuitBreakerOptions;
  #state: BreakerState = "closed";
  #failures = 0;
  #cooldownMs: number;
  #openedAtMs = 0;
  #probing = false;
  #listenerErrors = 0;

  /** @throws TelemetryError `config_invalid` on bad options. */
  constructor(options?: CircuitBreakerOptions) {
    this.options = resolveCircuitBreakerOptions(options);
    this.#cooldownMs = this.options.cooldownMs;
  }

  /** The current state (without moving an expired `open` to `half_open`; {@link CircuitBreaker.tryAcquire} does that). */
  get state(): BreakerState {
    return this.#state;
  }

  /** Consecutive failures since the last success. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** The cool-down that applies to the current or next `open` period, in ms. */
  get cooldownMs(): number {
    return this.#cooldownMs;
  }

  /** Errors thrown by the `onStateChange` listener (caught). */
  get listenerErrors(): number {
    return this.#listenerErrors;
  }

  /**
   * Asks to do one request now. `closed`: true. `open`: false until the cool-down has passed, then the
   * breaker moves to `half_open` and returns true once (the probe). `half_open`: false while the probe
   * is out. The caller must report the outcome with {@link CircuitBreaker.recordSuccess} or
   * {@link CircuitBreaker.recordFailure}.
   */
  tryAcquire(): boolean {
    if (this.#state === "closed") return true;
    if (this.#state === "open") {
      if (this.remainingCooldownMs() > 0) return false;
      this.#probing = true;
      this.#transition("half_open");
      return true;
    }
    if (this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** Time until a probe is allowed, in ms; 0 unless `open`. */
  remainingCooldownMs(): number {
    if (this.#state !== "open") return 0;
    return Math.max(0, this.#openedAtMs + this.#cooldownMs - this.options.now());
  }

  /**
   * Ends the cool-down of an open breaker now, so the next request is the half-open probe: for when
   * something outside the sink (a periodic health check) saw the receiver come back. No effect otherwise.
   */
  expireCooldown(): void {
    if (this.#state === "open") this.#openedAtMs = this.options.now() - this.#cooldownMs;
  }

  /** Reports a successful request: closes the breaker and resets the failure count and cool-down. */
  recordSuccess(): void {
    this.#failures = 0;
    this.#probing = false;
    this.#cooldownMs = this.options.cooldownMs;
    if (this.#state !== "closed") this.#transition("closed");
  }

  /** Reports a failed request: may open the breaker (closed), or re-open it with a doubled cool-down (half-open). */
  recordFailure(): void {
    this.#failures++;
    if (this.#state === "half_open") {
      this.#probing = false;
      this.#cooldownMs = Math.min(this.#cooldownMs * 2, this.options.maxCooldownMs);
      this.#open();
    } else if (this.#state === "closed" && this.#failures >= this.options.failureThreshold) {
      this.#open();
    }
  }

  #open(): void {
    this.#openedAtMs = this.options.now();
    this.#transition("open");
  }

  #transition(to: BreakerState): void {
    const from = this.#state;
    this.#state = to;
    const listener = this.options.onStateChange;
    if (!listener) return;
    try {
      listener(Object.freeze({ from, to, atMs: this.options.now(), consecutiveFailures: this.#failures, cooldownMs: this.#cooldownMs }));
    } catch {
      this.#listenerErrors++;
    }
  }
}
