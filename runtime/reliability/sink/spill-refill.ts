import type { ByteBoundedQueue } from "../byte-bounded-queue.js";
import type { DiskSpool } from "../spool/disk-spool.js";

/** Smallest room worth a read-back while the queue still holds records: less than this waits for more room. */
const minRefillBytes = 256 * 1024;

/**
 * Moves spilled records back from the disk spool into the sink's memory queue, in order, as the
 * queue makes room: one read at a time, each as large as the room allows (at most one chunk),
 * started after a write (records became readable), after records were settled (room was made) and
 * after the previous read. The records then leave through the batch loop like any other; the queue's
 * bound holds throughout (a read never takes more than the room it saw, and the room only grows while
 * it reads: new records go to disk while any spilled record is unread). Never throws, never rejects.
 */
export class SpillRefill<R> {
  readonly #spool: DiskSpool<R>;
  readonly #queue: ByteBoundedQueue<R>;
  /** Called after records were added to the queue (the loop should send them). */
  readonly #onRefilled: () => void;
  readonly #internalError: () => void;
  #reading = false;
  #stopped = false;

  constructor(spool: DiskSpool<R>, queue: ByteBoundedQueue<R>, onRefilled: () => void, internalError: () => void) {
    this.#spool = spool;
    this.#queue = queue;
    this.#onRefilled = onRefilled;
    this.#internalError = internalError;
  }

  /** Starts a read-back if none is running, spilled records are readable and the queue has room. O(1). */
  maybeStart(): void {
    if (this.#reading || this.#stopped || !this.#spool.spilledReadable) return;
    const room = this.#room();
    if (room <= 0 || (room < Math.min(minRefillBytes, this.#queue.maxQueueBytes / 4) && this.#queue.length > 0)) return;
    this.#reading = true;
    void this.#read(room);
  }

  /** Stops for good (at shutdown): a read in progress is discarded (its records stay on disk for the next process). */
  stop(): void {
    this.#stopped = true;
  }

  #room(): number {
    const queue = this.#queue;
    return queue.maxQueueBytes - queue.bytes - queue.heldBytes;
  }

  async #read(room: number): Promise<void> {
    let added = 0;
    try {
      const { records, sizes } = await this.#spool.readSpilled(room, this.#queue.maxQueueBytes);
      if (!this.#stopped) {
        for (let i = 0; i < records.length; i++) this.#queue.push(records[i] as R, sizes[i] ?? 0);
        added = records.length;
      }
    } catch {
      this.#internalError();
    }
    this.#reading = false;
    if (this.#stopped) return;
    if (added > 0) this.#onRefilled();
    this.maybeStart();
  }
}
