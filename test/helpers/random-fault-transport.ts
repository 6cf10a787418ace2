/**
 * A `Transport` whose every answer is drawn from a seeded PRNG: ok, ok with a partial rejection,
 * retryable (sometimes with Retry-After), failed, or a hang until the sink aborts; answered at once
 * or after a few ms. It counts what it accepted and rejected so a test can check the sink's counters.
 * `heal()` makes every later send succeed.
 */
import type { EncodedBatch, SendResult, Transport } from "../../runtime/transports/transport.js";
import { TransportError } from "../../runtime/transports/transport-error.js";
import { randomInt } from "./seeded-random.js";

export class RandomFaultTransport implements Transport {
  readonly name = "random-faults";
  /** Records the transport answered `ok` for (minus the partially rejected ones). */
  acceptedRecords = 0;
  /** Records it rejected: whole `failed` batches plus partial rejections. */
  rejectedRecords = 0;
  sends = 0;
  /** Called at the start of every send (to sample the sink's health mid-drain). */
  onSend: (() => void) | undefined;
  #healed = false;
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  heal(): void {
    this.#healed = true;
  }

  send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
    this.sends++;
    this.onSend?.();
    const roll = this.#healed ? 0 : this.#random();
    if (roll >= 0.95) {
      // The sink's signal lives as long as the sink: a wait that ends by its timer takes its listener
      // off again, as the real transports do (else they pile up: MaxListenersExceededWarning).
      return new Promise((resolve) => {
        const settle = (result: SendResult): void => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", abort);
          resolve(result);
        };
        const abort = (): void => settle({ status: "retryable", error: new TransportError("send aborted", "shutdown") });
        const timer = setTimeout(
          () => settle({ status: "retryable", error: new TransportError("no ack in time", "ack_timeout") }),
          5 + randomInt(this.#random, 20),
        );
        timer.unref();
        if (signal?.aborted) abort();
        else signal?.addEventListener("abort", abort, { once: true });
      });
    }
    const result = this.#outcome(roll, batch.count);
    const delayMs = randomInt(this.#random, 4);
    return delayMs === 0 ? Promise.resolve(result) : new Promise((resolve) => setTimeout(() => resolve(result), delayMs));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #outcome(roll: number, count: number): SendResult {
    if (roll < 0.5) {
      this.acceptedRecords += count;
      return { status: "ok" };
    }
    if (roll < 0.6) {
      const rejected = 1 + randomInt(this.#random, count);
      this.acceptedRecords += count - rejected;
      this.rejectedRecords += rejected;
      return { status: "ok", partialSuccess: { rejected, errorMessage: "random rejection" } };
    }
    if (roll < 0.85) {
      const error = new TransportError("connection refused", "unavailable");
      return roll < 0.7 ? { status: "retryable", error, retryAfterMs: randomInt(this.#random, 5) } : { status: "retryable", error };
    }
    this.rejectedRecords += count;
    return { status: "failed", error: new TransportError("bad request", "rejected") };
  }
}
