import type { SendResult } from "../transport.js";
import { TransportError } from "../transport-error.js";

interface Pending {
  readonly resolve: (result: SendResult) => void;
  readonly timer: NodeJS.Timeout;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

const ok: SendResult = Object.freeze({ status: "ok" });

/**
 * Chunks sent on one connection and waiting for `{ack: chunk}`, keyed by chunk id, so several batches
 * can be in flight at once (pipelining) and be acknowledged in any order. Each wait ends exactly once:
 * `ok` on the ack, `retryable` (`ack_timeout`) after `ackTimeoutMs`, `retryable` (`shutdown`) when the
 * signal aborts, or whatever {@link AckTracker.failAll} is given. Timers are unref'd.
 */
export class AckTracker {
  readonly #pending = new Map<string, Pending>();
  readonly #onBusyChange: (busy: boolean) => void;

  /** @param onBusyChange - called when the first wait starts and when the last one ends. */
  constructor(onBusyChange: (busy: boolean) => void = () => {}) {
    this.#onBusyChange = onBusyChange;
  }

  /** Number of chunks waiting for their ack. */
  get size(): number {
    return this.#pending.size;
  }

  /** Starts waiting for the ack of `chunk`; the promise never rejects. */
  track(chunk: string, ackTimeoutMs: number, signal?: AbortSignal): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      const timer = setTimeout(() => {
        this.#finish(chunk, {
          status: "retryable",
          error: new TransportError(`no ack within ${ackTimeoutMs} ms`, "ack_timeout"),
        });
      }, ackTimeoutMs);
      timer.unref();
      const onAbort = signal
        ? () => this.#finish(chunk, { status: "retryable", error: new TransportError("send aborted", "shutdown", { cause: signal.reason }) })
        : undefined;
      if (signal && onAbort) signal.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(chunk, { resolve, timer, signal, onAbort });
      if (this.#pending.size === 1) this.#onBusyChange(true);
    });
  }

  /** Resolves the wait for `chunk` with `ok`. Returns false for an unknown (e.g. late) chunk. */
  settle(chunk: string): boolean {
    return this.#finish(chunk, ok);
  }

  /** Resolves every wait with `result` (e.g. on socket close). */
  failAll(result: SendResult): void {
    for (const chunk of [...this.#pending.keys()]) this.#finish(chunk, result);
  }

  #finish(chunk: string, result: SendResult): boolean {
    const pending = this.#pending.get(chunk);
    if (!pending) return false;
    this.#pending.delete(chunk);
    clearTimeout(pending.timer);
    if (pending.signal && pending.onAbort) pending.signal.removeEventListener("abort", pending.onAbort);
    pending.resolve(result);
    if (this.#pending.size === 0) this.#onBusyChange(false);
    return true;
  }
}
