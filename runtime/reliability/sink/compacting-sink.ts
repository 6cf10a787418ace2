import type { DropReason } from "../delivery-accounting.js";
import type { FlushReport, ShutdownReport, SinkHealth } from "./reports.js";
import type { Sink } from "./sink.js";
import type { SinkTarget } from "./options.js";

/**
 * A sink of records `R` that keeps them in `inner`'s queue in a compact form `C` (for log entries:
 * their encoded bytes) while `inner` holds its records back (a retry delay, an open breaker: the
 * receiver is away and records wait long), and as they are otherwise. Compacting costs CPU on the call
 * (for log entries about 15% more per delivered record, measured), which is paid only when records
 * wait; the ones that leave within a batch's time are encoded with their batch as before. The
 * compact form's byte estimate (`bytesOf`) replaces the caller's, so the queue's bound bounds what it
 * holds. A record that cannot be compacted is counted as dropped `encode_error` (as a batch that
 * cannot be encoded is). Everything else is `inner`'s: the same accounting, flush, shutdown and health.
 */
export class CompactingSink<R, C> implements Sink<R> {
  readonly #inner: Sink<R | C>;
  readonly #compact: (record: R) => C;
  readonly #bytesOf: (compact: C) => number;

  constructor(inner: Sink<R | C>, compact: (record: R) => C, bytesOf: (compact: C) => number) {
    this.#inner = inner;
    this.#compact = compact;
    this.#bytesOf = bytesOf;
  }

  get name(): string {
    return this.#inner.name;
  }

  get target(): SinkTarget {
    return this.#inner.target;
  }

  get holding(): boolean {
    return this.#inner.holding === true;
  }

  get flowing(): boolean {
    return this.#inner.flowing === true;
  }

  enqueue(record: R, bytes: number): void {
    if (this.#inner.holding !== true) {
      this.#inner.enqueue(record, bytes);
      return;
    }
    let compact: C;
    try {
      compact = this.#compact(record);
    } catch {
      this.#inner.countDropped("encode_error");
      return;
    }
    this.enqueueCompact(compact);
  }

  /**
   * Enqueues a record already in its compact form (made from the call's parts, never as `R`), with
   * the compact form's byte estimate, whether or not `inner` holds records back.
   */
  enqueueCompact(compact: C): void {
    this.#inner.enqueue(compact, this.#bytesOf(compact));
  }

  countDropped(reason: DropReason, count?: number): void {
    this.#inner.countDropped(reason, count);
  }

  reportReceiverHealthy(): void {
    this.#inner.reportReceiverHealthy();
  }

  flush(timeoutMs?: number): Promise<FlushReport> {
    return this.#inner.flush(timeoutMs);
  }

  shutdown(timeoutMs?: number): Promise<ShutdownReport> {
    return this.#inner.shutdown(timeoutMs);
  }

  /**
   * Takes nothing: queued records may be in their compact form, which a synchronous writer of `R`
   * cannot take (the crash path drains only the client's file sinks, which never compact). They stay
   * queued and counted.
   */
  drainSync(_write: (records: readonly R[]) => boolean): number {
    return 0;
  }

  spoolSync(): number {
    return this.#inner.spoolSync();
  }

  health(): SinkHealth {
    return this.#inner.health();
  }
}
