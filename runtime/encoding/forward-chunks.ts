import { MsgpackWriter } from "../wire/msgpack-writer.js";

/** Bytes of each chunk. */
const chunkBytes = 512 * 1024;
/**
 * A chunk takes no new entry when less than this is left: more than any chunked entry takes (its data at
 * most {@link chunkedDataBytes}, a message of at most 32,768 UTF-16 units, the service's fields), so
 * that a chunk never grows.
 */
const chunkHeadroom = 128 * 1024;
/** Most bytes of data an entry is chunked with; one with more is kept compact. */
export const chunkedDataBytes = 16 * 1024;
/** Most emptied chunks kept for reuse (beyond them, the collector takes them). */
const maxFreeChunks = 32;
/** Bits of an entry's id that number it within its chunk: 16,384 entries, more than fit (each takes over 60 bytes). */
const ordinalBits = 14;
const ordinalMask = (1 << ordinalBits) - 1;
/** Most chunks at once: ids stay below 2^30, a small integer; past it (32 GiB of chunks) entries are kept compact. */
const maxChunks = 1 << 16;
/** Entries whose ends a fresh chunk has room for; it doubles up to the ordinal's limit. */
const initialEnds = 2048;

declare const chunked: unique symbol;

/**
 * A log entry queued where the call wrote it, as a small integer: its chunk's number and its place in
 * the chunk. Its bytes, its forward entry `[EventTime, record]` whole (the service's fields included),
 * lie in the chunk; the queue holds no object and no string for it, so it costs the collector nothing
 * while it waits, and a batch of them is sent from where they lie (see {@link ForwardChunks.slices}).
 */
export type ChunkedForwardEntry = number & { readonly [chunked]: true };

/** Whether a queued record is a {@link ChunkedForwardEntry} (the only number a forward queue holds). */
export function isChunkedForwardEntry(record: unknown): record is ChunkedForwardEntry {
  return typeof record === "number";
}

/** A chunk entries are written into one after another from its start, and how many of them are still queued there. */
class Chunk {
  readonly writer = new MsgpackWriter(chunkBytes, true);
  readonly slot: number;
  /** Where each entry written since the last reset ends, by its place (the first starts at 0). */
  ends = new Int32Array(initialEnds);
  /** Entries written since the last reset. */
  count = 0;
  /** Entries written here and neither acknowledged nor copied out. */
  live = 0;
  /** An entry of a batch that was dropped (its bytes may still be with the transport): never written again. */
  retired = false;
  /** The next emptied chunk kept for reuse, while this one is kept (see {@link ForwardChunks}). */
  nextFree: Chunk | undefined = undefined;

  constructor(slot: number) {
    this.slot = slot;
  }

  reset(): void {
    this.writer.reset();
    this.count = 0;
  }

  /** Where the entry at `ordinal` starts: where the one before it ends. */
  startOf(ordinal: number): number {
    return ordinal === 0 ? 0 : this.ends[ordinal - 1]!;
  }
}

/**
 * The chunks a sink's direct route writes entries into. Writing into memory already touched is what
 * makes this cheap (a fresh chunk costs a page fault every dozen entries), so a chunk is reused once
 * every entry written there was acknowledged by the receiver or copied into a batch. One with an entry
 * in a dropped batch is never written again: it leaves the table once its other entries have left, to
 * the collector. Entries that leave the queue otherwise (at shutdown) keep their chunk in the table.
 */
export class ForwardChunks {
  /** Chunks by their number (an entry's id over {@link ordinalBits}); a hole is a number free for a new chunk. */
  readonly #chunks: (Chunk | undefined)[] = [];
  readonly #freeSlots: number[] = [];
  /**
   * Emptied chunks kept for reuse, as a list through {@link Chunk.nextFree}: an array would change its
   * element kind (its hidden class) with its first chunk, after the code popping from it was optimized.
   */
  #free: Chunk | undefined = undefined;
  #freeCount = 0;
  #current: Chunk = this.#newChunk() as Chunk;

  /**
   * The writer for the next entry: write it at the writer's end, then call {@link commit}, or truncate
   * the writer back. `undefined` when every chunk number is taken (keep the entry another way).
   */
  writer(): MsgpackWriter | undefined {
    const c = this.#current;
    const w = c.writer;
    if (w.capacity - w.length >= chunkHeadroom && c.count <= ordinalMask) return w;
    if (c.live === 0 && !c.retired) {
      c.reset();
      return w;
    }
    const next = this.#takeFree() ?? this.#newChunk();
    if (next === undefined) return undefined;
    if (c.live === 0) this.#drop(c);
    this.#current = next;
    return next.writer;
  }

  /** The entry just written at the end of the current chunk's writer (which {@link writer} returned). */
  commit(): ChunkedForwardEntry {
    const c = this.#current;
    if (c.count === c.ends.length) {
      const ends = new Int32Array(c.ends.length * 2);
      ends.set(c.ends);
      c.ends = ends;
    }
    const ordinal = c.count++;
    c.ends[ordinal] = c.writer.length;
    c.live++;
    return ((c.slot << ordinalBits) | ordinal) as ChunkedForwardEntry;
  }

  /**
   * Heap bytes a queued chunked entry stands for, the estimate the sink's byte bound adds up: its bytes
   * in the chunk, its queue slot and end (16), and a quarter more for the room a chunk may leave unused
   * at its end (at most {@link chunkHeadroom} of {@link chunkBytes}).
   */
  bytesOf(entry: ChunkedForwardEntry): number {
    const c = this.#chunkOf(entry);
    const ordinal = entry & ordinalMask;
    const n = c.ends[ordinal]! - c.startOf(ordinal);
    return 16 + n + (n >> 2);
  }

  /**
   * The entries of a batch when every one of `records` is a chunked entry: each run of entries written
   * one after another is one slice of its chunk, no copy (`body`, then `rest`). `release` gives the
   * entries' chunks back: for reuse when `reusable` (the receiver acknowledged them: nothing reads the
   * slices again), else only to leave the table once emptied (a dropped batch's bytes may still be with
   * the transport); the first call counts. `undefined` when any record is of another form.
   */
  slices(records: readonly unknown[]): { body: Uint8Array; rest: Uint8Array[]; bytes: number; release: (reusable: boolean) => void } | undefined {
    for (const r of records) if (!isChunkedForwardEntry(r)) return undefined;
    const ids = records as readonly ChunkedForwardEntry[];
    const runs: Uint8Array[] = [];
    const chunks: Chunk[] = [];
    const counts: number[] = [];
    let bytes = 0;
    let i = 0;
    while (i < ids.length) {
      const first = ids[i]!;
      const chunk = this.#chunkOf(first);
      let last = first;
      for (i++; i < ids.length && ids[i] === last + 1 && (ids[i]! & ordinalMask) !== 0; i++) last = ids[i]!;
      const n = last - first + 1;
      const start = chunk.startOf(first & ordinalMask);
      const end = chunk.ends[last & ordinalMask]!;
      runs.push(chunk.writer.buffer.subarray(start, end));
      bytes += end - start;
      if (chunks.at(-1) === chunk) counts[counts.length - 1]! += n;
      else {
        chunks.push(chunk);
        counts.push(n);
      }
    }
    let released = false;
    const release = (reusable: boolean): void => {
      if (released) return;
      released = true;
      for (let c = 0; c < chunks.length; c++) this.#leave(chunks[c]!, counts[c]!, reusable);
    };
    return { body: runs[0] ?? new Uint8Array(0), rest: runs.slice(1), bytes, release };
  }

  /** Copies one chunked entry into `w`: it left its chunk. */
  copyInto(w: MsgpackWriter, entry: ChunkedForwardEntry): void {
    const c = this.#chunkOf(entry);
    const ordinal = entry & ordinalMask;
    w.writeRange(c.writer.buffer, c.startOf(ordinal), c.ends[ordinal]!);
    this.#leave(c, 1, true);
  }

  #chunkOf(entry: ChunkedForwardEntry): Chunk {
    return this.#chunks[entry >>> ordinalBits]!;
  }

  #newChunk(): Chunk | undefined {
    const slot = this.#freeSlots.pop() ?? (this.#chunks.length < maxChunks ? this.#chunks.length : -1);
    if (slot < 0) return undefined;
    const c = new Chunk(slot);
    this.#chunks[slot] = c;
    return c;
  }

  /** `n` entries left chunk `c`: it is reused once none is left there, unless retired. */
  #leave(c: Chunk, n: number, reusable: boolean): void {
    c.live -= n;
    if (!reusable) c.retired = true;
    if (c.live !== 0 || c === this.#current) return;
    if (c.retired || this.#freeCount >= maxFreeChunks) this.#drop(c);
    else {
      c.reset();
      c.nextFree = this.#free;
      this.#free = c;
      this.#freeCount++;
    }
  }

  /** An emptied chunk to write again, if one is kept. */
  #takeFree(): Chunk | undefined {
    const c = this.#free;
    if (c !== undefined) {
      this.#free = c.nextFree;
      c.nextFree = undefined;
      this.#freeCount--;
    }
    return c;
  }

  /** Takes an empty chunk out of the table, to the collector; its number is free again. */
  #drop(c: Chunk): void {
    this.#chunks[c.slot] = undefined;
    this.#freeSlots.push(c.slot);
  }
}
