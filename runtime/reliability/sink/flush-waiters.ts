import { maxTimerMs } from "../../config/option-problems.js";
import { sinkDefaults } from "./options.js";
import type { FlushReport } from "./reports.js";

interface FlushWaiter {
  /** How many records must be settled: those accepted before the flush was called. */
  readonly target: number;
  /** Also wait until every record recovered from the spool is settled. */
  readonly recovery: boolean;
  readonly startedMs: number;
  readonly resolve: (report: FlushReport) => void;
  timer: NodeJS.Timeout | undefined;
}

/** A flush timeout: the default when not given, at most the longest timer, 0 (at once) when not a positive number. */
function clampTimeoutMs(value: unknown): number {
  if (value === undefined) return sinkDefaults.flushTimeoutMs;
  return typeof value === "number" && value > 0 ? Math.min(Math.ceil(value), maxTimerMs) : 0;
}

/**
 * A sink's pending flushes. Records settle (are delivered or dropped) in FIFO order, so a flush
 * waits until the number settled reaches the number accepted when it was called, and, when it was
 * called during a spool replay, until the replay is done too. Each waiter has its own deadline timer,
 * ref'd: an awaited flush keeps the process alive up to its timeout.
 */
export class FlushWaiters {
  readonly #report: (status: FlushReport["status"], pendingRecords: number, startedMs: number) => FlushReport;
  #waiters: FlushWaiter[] = [];

  /** `report` builds the report a flush resolves with. */
  constructor(report: (status: FlushReport["status"], pendingRecords: number, startedMs: number) => FlushReport) {
    this.#report = report;
  }

  /**
   * Resolves `complete` once {@link check} finds `target` records settled (and no replay left when
   * `recovery`), or `timeout` after `timeoutMs` (default 5000) with `pending()` records left. Never rejects.
   */
  wait(target: number, recovery: boolean, startedMs: number, timeoutMs: unknown, pending: () => number): Promise<FlushReport> {
    return new Promise<FlushReport>((resolve) => {
      const waiter: FlushWaiter = { target, recovery, startedMs, resolve, timer: undefined };
      waiter.timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(this.#report("timeout", pending(), startedMs));
      }, clampTimeoutMs(timeoutMs));
      this.#waiters.push(waiter);
    });
  }

  /** Whether a flush is waiting. */
  get waiting(): boolean {
    return this.#waiters.length > 0;
  }

  /** Resolves `complete` every waiter whose records are all settled. */
  check(settledTotal: number, recovering: boolean): void {
    if (this.#waiters.length === 0) return;
    const isDone = (w: FlushWaiter): boolean => w.target <= settledTotal && !(w.recovery && recovering);
    const done = this.#waiters.filter(isDone);
    if (done.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => !isDone(w));
    for (const waiter of done) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.#report("complete", 0, waiter.startedMs));
    }
  }
}
