/**
 * An in-memory `Transport` for sink unit tests: every `send` waits until the test answers it
 * (`respond`), or answers at once from an `auto` policy. Batches carry their records (see `encodeNumbers`).
 */
import type { EncodedBatch, SendResult, Transport } from "../../runtime/transports/transport.js";
import { TransportError } from "../../runtime/transports/transport-error.js";

/** A batch that remembers its records, for assertions. */
export interface NumberBatch extends EncodedBatch {
  readonly records: readonly number[];
}

/** An `encode` for number records: one byte per record, the records kept on the batch. */
export function encodeNumbers(records: number[]): NumberBatch {
  return { body: new Uint8Array(records.length), count: records.length, bytes: records.length, records: [...records] };
}

export const ok: SendResult = Object.freeze({ status: "ok" });
export const retryable = (retryAfterMs?: number): SendResult => ({
  status: "retryable",
  error: new TransportError("connection refused", "unavailable"),
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});
export const failed = (): SendResult => ({ status: "failed", error: new TransportError("shared key mismatch", "rejected") });

interface PendingSend {
  readonly batch: NumberBatch;
  readonly resolve: (result: SendResult) => void;
}

export class ScriptedTransport implements Transport {
  readonly name = "scripted";
  /** Every batch passed to send, in order (resends appear again, as the same object). */
  readonly sent: NumberBatch[] = [];
  readonly pending: PendingSend[] = [];
  closeCalls = 0;
  /** When set, answers each send at once with its result; otherwise sends wait for `respond`. */
  auto: ((batch: NumberBatch) => SendResult) | undefined;
  /** Called synchronously at the start of each send (e.g. to check invariants mid-drain). */
  onSend: (() => void) | undefined;

  send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
    const b = batch as NumberBatch;
    this.sent.push(b);
    this.onSend?.();
    if (this.auto) return Promise.resolve(this.auto(b));
    return new Promise<SendResult>((resolve) => {
      const entry = { batch: b, resolve };
      this.pending.push(entry);
      signal?.addEventListener(
        "abort",
        () => {
          const i = this.pending.indexOf(entry);
          if (i >= 0) this.pending.splice(i, 1);
          resolve({ status: "retryable", error: new TransportError("send aborted", "shutdown") });
        },
        { once: true },
      );
    });
  }

  /** Answers the oldest pending send; returns false when none is pending. */
  respond(result: SendResult): boolean {
    const next = this.pending.shift();
    next?.resolve(result);
    return next !== undefined;
  }

  close(): Promise<void> {
    this.closeCalls++;
    return Promise.resolve();
  }
}
