import { MsgpackFramer } from "./msgpack-framer.js";

/** Bytes of incomplete messages held across every forward connection, against one global budget. */
export class PendingBudget {
  #held = 0;

  /** @param maxBytes - most bytes of incomplete messages all connections may hold together. */
  constructor(readonly maxBytes: number) {}

  get held(): number {
    return this.#held;
  }

  /** Reserves `n` bytes; `false` (nothing reserved) when that would exceed the budget. */
  reserve(n: number): boolean {
    if (this.#held + n > this.maxBytes) return false;
    this.#held += n;
    return true;
  }

  release(n: number): void {
    this.#held -= n;
  }
}

/** Why {@link ForwardReassembly.push} gave up on a connection. */
export type ReassemblyFailure = { readonly kind: "invalid" | "overBudget"; readonly reason: string };

/**
 * One forward connection's messages from its byte stream, in linear time: a {@link MsgpackFramer}
 * finds where each message ends, chunks of an incomplete message are kept in a list (counted
 * against `maxMessageBytes` and the global {@link PendingBudget}) and each message is joined once,
 * when complete, for its one decode.
 */
export class ForwardReassembly {
  readonly #framer = new MsgpackFramer();
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(
    readonly maxMessageBytes: number,
    readonly budget: PendingBudget,
  ) {}

  /** Bytes of the incomplete message held. */
  get pendingBytes(): number {
    return this.#bytes;
  }

  /**
   * Takes received bytes, calling `onMessage` with the bytes of each complete message in order until
   * it returns `false`. Returns why the connection must be dropped, or `undefined`.
   */
  push(chunk: Buffer, onMessage: (message: Buffer) => boolean): ReassemblyFailure | undefined {
    let from = 0;
    while (from < chunk.length) {
      const step = this.#framer.feed(chunk, from);
      if (step.kind === "invalid") return { kind: "invalid", reason: `not msgpack: ${step.reason}` };
      if (step.kind === "incomplete") return this.#hold(chunk.subarray(from));
      const part = chunk.subarray(from, step.end);
      from = step.end;
      const size = this.#bytes + part.length;
      if (size > this.maxMessageBytes) return this.#tooLarge(size);
      const whole = this.#chunks.length === 0 ? part : Buffer.concat([...this.#chunks, part], size);
      this.release();
      if (!onMessage(whole)) return undefined;
    }
    return undefined;
  }

  /** Gives the held bytes back to the budget (the connection closed). Idempotent. */
  release(): void {
    this.budget.release(this.#bytes);
    this.#bytes = 0;
    this.#chunks = [];
  }

  #hold(rest: Buffer): ReassemblyFailure | undefined {
    const size = this.#bytes + rest.length;
    if (size > this.maxMessageBytes) return this.#tooLarge(size);
    if (!this.budget.reserve(rest.length)) {
      return { kind: "overBudget", reason: `incomplete messages of all connections would exceed ${this.budget.maxBytes} bytes` };
    }
    this.#chunks.push(rest);
    this.#bytes = size;
    return undefined;
  }

  #tooLarge(size: number): ReassemblyFailure {
    return { kind: "overBudget", reason: `a message larger than ${this.maxMessageBytes} bytes (${size} so far)` };
  }
}
