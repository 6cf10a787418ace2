/** How a promise raced against a deadline ended. */
export type DeadlineOutcome = "settled" | "rejected" | "timeout";

/**
 * Waits for `work` at most `timeoutMs` (at once when not a positive number). The timer is unref'd and
 * cleared when `work` settles first, so it never keeps the process alive. Never rejects.
 */
export function settleWithin(work: Promise<unknown>, timeoutMs: number): Promise<DeadlineOutcome> {
  return new Promise<DeadlineOutcome>((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve("settled");
      },
      () => {
        clearTimeout(timer);
        resolve("rejected");
      },
    );
  });
}

/** What is left of `timeoutMs` since `startedMs` (0 when spent); what is not a finite number is passed on as is. */
export function remainingMs(timeoutMs: number, startedMs: number, now: number = performance.now()): number {
  return Number.isFinite(timeoutMs) ? Math.max(0, timeoutMs - (now - startedMs)) : timeoutMs;
}
