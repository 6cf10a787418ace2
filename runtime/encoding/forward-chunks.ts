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

/** A chunk entries are written into, and how many of them are still queued there. */
class Chunk {
  readonly writer = new MsgpackWriter(chunkBytes, true);
  live = 0;
}

/**
 * A log entry queued where the call wrote it: bytes `start` to `end` of a chunk, its forward entry
 * `[EventTime, record]` whole (the service's fields included). No entry object, no string: a batch
 * of them is sent from where they lie (see {@link ForwardChunks.slices}).
 */
export class ChunkedForwardEntry {
  readonly chunk: Chunk;
  readonly start: number;
  readonly end: number;

  constructor(chunk: Chunk, start: number, end: number) {
    this.chunk = chunk;
    this.start = start;
    this.end = end;
  }
}

/**
 * Heap bytes a queued chunked entry stands for, the estimate the sink's byte bound adds up: its bytes
 * in the chunk, its object and queue slot (48), and a quarter more for the room a chunk may leave
 * unused at its end (at most {@link chunkHeadroom} of {@link chunkBytes}).
 */
export function chunkedForwardEntryBytes(entry: ChunkedForwardEntry): number {
  const n = entry.end - entry.start;
  return 48 + n + (n >> 2);
}

/**
 * The chunks a sink's direct route writes entries into. Writing into memory already touched is what
 * makes this cheap (a fresh chunk costs a page fault every dozen entries), so a chunk is reused once
 * every entry written there was acknowledged by the receiver or copied into a batch; one with an entry
 * that left otherwise (dropped from the queue or in flight) is left to the collector. Entries, and
 * batches in flight, keep their chunk alive.
 */
export class ForwardChunks {
  #current = new Chunk();
  readonly #free: Chunk[] = [];

  /** The writer for the next entry; pass its position before and after to {@link entry}. */
  writer(): MsgpackWriter {
    let c = this.#current;
    const w = c.writer;
    if (w.capacity - w.length >= chunkHeadroom) return w;
    if (c.live === 0) {
      w.reset();
      return w;
    }
    c = this.#free.pop() ?? new Chunk();
    this.#current = c;
    return c.writer;
  }

  /** The entry just written into the current chunk's writer, bytes `start` to `end`. */
  entry(start: number, end: number): ChunkedForwardEntry {
    const c = this.#current;
    c.live++;
    return new ChunkedForwardEntry(c, start, end);
  }

  /**
   * The entries of a batch when every one of `records` is a chunked entry: each run of entries written
   * one after another is one slice of its chunk, no copy (`body`, then `rest`). `release` gives the
   * entries' chunks back for reuse; call it only once nothing reads the slices again (the receiver
   * acknowledged them). `undefined` when any record is of another form.
   */
  slices(records: readonly unknown[]): { body: Uint8Array; rest: Uint8Array[]; bytes: number; release: () => void } | undefined {
    for (const r of records) if (!(r instanceof ChunkedForwardEntry)) return undefined;
    const runs: Uint8Array[] = [];
    const chunks: Chunk[] = [];
    const counts: number[] = [];
    let bytes = 0;
    let i = 0;
    while (i < records.length) {
      const first = records[i] as ChunkedForwardEntry;
      const chunk = first.chunk;
      let end = first.end;
      let n = 1;
      for (i++; i < records.length; i++) {
        const next = records[i] as ChunkedForwardEntry;
        if (next.chunk !== chunk || next.start !== end) break;
        end = next.end;
        n++;
      }
      runs.push(chunk.writer.buffer.subarray(first.start, end));
      bytes += end - first.start;
      if (chunks.at(-1) === chunk) counts[counts.length - 1]! += n;
      else {
        chunks.push(chunk);
        counts.push(n);
      }
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      for (let c = 0; c < chunks.length; c++) this.#leave(chunks[c]!, counts[c]!);
    };
    return { body: runs[0] ?? new Uint8Array(0), rest: runs.slice(1), bytes, release };
  }

  /** Copies one chunked entry into `w`: it left its chunk. */
  copyInto(w: MsgpackWriter, entry: ChunkedForwardEntry): void {
    w.writeRange(entry.chunk.writer.buffer, entry.start, entry.end);
    this.#leave(entry.chunk, 1);
  }

  /** `n` entries left chunk `c`: it is reused once none is left there. */
  #leave(c: Chunk, n: number): void {
    c.live -= n;
    if (c.live !== 0 || c === this.#current) return;
    if (this.#free.length < maxFreeChunks) {
      c.writer.reset();
      this.#free.push(c);
    }
  }
}
