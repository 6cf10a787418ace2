import { performance } from "node:perf_hooks";

/**
 * The deadline of one check: an `AbortSignal` that aborts when the time is up (or when `parent`
 * aborts), and the time left. Every socket and request of the check listens to `signal`, so a host
 * that drops every packet costs exactly the deadline. The timer is unref'd; `dispose()` clears it.
 */
export class Deadline {
  /** `performance.now()` when the check started. */
  readonly startedAt: number;
  /** The deadline's length, in ms. */
  readonly timeoutMs: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = (): void => this.#controller.abort(this.#parent?.reason);

  constructor(timeoutMs: number, parent?: AbortSignal) {
    this.startedAt = performance.now();
    this.timeoutMs = timeoutMs;
    this.#parent = parent;
    this.#timer = setTimeout(() => this.#controller.abort(new Error(`deadline of ${timeoutMs} ms passed`)), timeoutMs);
    this.#timer.unref();
    if (parent?.aborted) this.#controller.abort(parent.reason);
    else parent?.addEventListener("abort", this.#onParentAbort, { once: true });
  }

  /** Aborts when the deadline passes or the parent signal aborts. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the deadline passed (or the check was aborted). */
  get expired(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Milliseconds since the start. */
  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  /** Milliseconds left, at least 0. */
  remainingMs(): number {
    return this.expired ? 0 : Math.max(0, this.timeoutMs - this.elapsedMs());
  }

  /** Clears the timer and the parent listener. Idempotent. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#parent?.removeEventListener("abort", this.#onParentAbort);
  }
}

/**
 * Resolves after `ms` or when `signal` aborts, whichever comes first; never rejects. The timer is
 * unref'd. Used between polls of a status endpoint.
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs `check` under a fresh {@link Deadline} of `timeoutMs` and resolves with its result, never
 * rejecting and never later than `timeoutMs + graceMs`: a throw or rejection becomes `fallback(reason)`,
 * and so does a check still pending `graceMs` after its deadline (a bug; the work is aborted).
 */
export async function runWithDeadline<T>(
  timeoutMs: number,
  parent: AbortSignal | undefined,
  check: (deadline: Deadline) => Promise<T>,
  fallback: (reason: unknown, deadline: Deadline) => T,
  graceMs = 100,
): Promise<T> {
  const deadline = new Deadline(timeoutMs, parent);
  let backstop: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<T>((resolve) => {
      backstop = setTimeout(() => resolve(fallback(new Error(`check still running ${graceMs} ms after its deadline`), deadline)), timeoutMs + graceMs);
      backstop.unref();
    });
    return await Promise.race([check(deadline), late]);
  } catch (reason: unknown) {
    return fallback(reason, deadline);
  } finally {
    clearTimeout(backstop);
    deadline.dispose();
  }
}
