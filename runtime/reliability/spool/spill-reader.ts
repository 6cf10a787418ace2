import { open, type FileHandle } from "node:fs/promises";
import type { SpoolCodec } from "./spool-codec.js";
import { frameHeaderBytes, intactFrameEnd, maxFramePayloadBytes } from "./spool-frame.js";
import type { SpillExtent, SpillExtents } from "./spill-extents.js";

/** Most bytes read from a segment per read-back (the buffer is allocated per read, then garbage). */
export const spillReadChunkBytes = 1024 * 1024;

/** Records read back by {@link SpillReader.read}, oldest first. */
export interface SpillRead<R> {
  readonly records: R[];
  /** The byte estimate of each record for the memory queue. */
  readonly sizes: number[];
  /** Records given up (corrupt frame, undecodable payload, failed read), as ordinal ranges. */
  readonly lost: ReadonlyArray<{ readonly start: number; readonly count: number }>;
  /** What went wrong for the lost ones, if anything did. */
  readonly problem?: string;
}

/**
 * Reads spilled records back from their segment files, in order, a chunk at a time: at most
 * {@link spillReadChunkBytes} and no more records than `room` bytes of estimates (at least one
 * record when `room` allows it). Frames cut by the chunk's end are read again next time. It keeps one
 * file open (the extent being read). A corrupt frame gives up the rest of its extent (counted lost):
 * these are this process's own fresh writes, so corruption means the disk failed. Never rejects.
 */
export class SpillReader<R> {
  readonly #extents: SpillExtents;
  readonly #codec: SpoolCodec<R>;
  #handle: FileHandle | undefined;
  #handlePath: string | undefined;

  constructor(extents: SpillExtents, codec: SpoolCodec<R>) {
    this.#extents = extents;
    this.#codec = codec;
  }

  /** Reads the next records of the oldest extent whose estimates fit in `room` (and `capacity` caps one estimate). */
  async read(room: number, capacity: number): Promise<SpillRead<R>> {
    const extent = this.#extents.first;
    if (extent === undefined) return { records: [], sizes: [], lost: [] };
    let buffer: Buffer;
    try {
      buffer = await this.#readChunk(extent, room);
    } catch (error: unknown) {
      return await this.#giveUp(extent, `read of ${extent.path} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const records: R[] = [];
    const sizes: number[] = [];
    const lost: Array<{ start: number; count: number }> = [];
    let used = 0;
    let offset = 0;
    while (extent.count > 0 && offset < buffer.length) {
      const end = intactFrameEnd(buffer, offset);
      if (end < 0) {
        if (offset + frameHeaderBytes + payloadLength(buffer, offset) > buffer.length && offset > 0) break; // cut by the chunk: next time
        const given = await this.#giveUp(extent, `corrupt frame in ${extent.path} at byte ${extent.offset}`);
        return { records, sizes, lost: [...lost, ...given.lost], problem: given.problem ?? "" };
      }
      const size = Math.min(capacity, Math.ceil((end - offset - frameHeaderBytes) * extent.estimatePerByte));
      if (records.length > 0 && used + size > room) break;
      try {
        records.push(this.#codec.deserialize(buffer.subarray(offset + frameHeaderBytes, end)));
        sizes.push(size);
        used += size;
      } catch {
        lost.push({ start: extent.firstOrdinal, count: 1 });
      }
      extent.offset += end - offset;
      extent.bytes -= end - offset;
      extent.firstOrdinal++;
      extent.count--;
      offset = end;
    }
    if (extent.count === 0 || extent.bytes <= 0) {
      if (extent.count > 0) lost.push({ start: extent.firstOrdinal, count: extent.count });
      await this.#next();
    }
    return lost.length === 0 ? { records, sizes, lost } : { records, sizes, lost, problem: `undecodable spilled record(s) in ${extent.path}` };
  }

  /** Closes the file it holds open. Never rejects. */
  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#handlePath = undefined;
    await handle?.close().catch(() => undefined);
  }

  /** The next chunk of `extent`: about as many bytes as `room` takes back (at most a chunk), and at least its first frame. */
  async #readChunk(extent: SpillExtent, room: number): Promise<Buffer> {
    if (this.#handlePath !== extent.path) {
      await this.close();
      this.#handle = await open(extent.path, "r");
      this.#handlePath = extent.path;
    }
    const handle = this.#handle as FileHandle;
    const wanted = Math.ceil(room / extent.estimatePerByte) + 64 * frameHeaderBytes; // the estimates are per payload byte
    let length = Math.min(extent.bytes, spillReadChunkBytes, wanted);
    if (length < extent.bytes && length >= frameHeaderBytes) {
      const header = Buffer.allocUnsafe(frameHeaderBytes);
      await readFully(handle, header, extent.offset);
      const first = frameHeaderBytes + Math.min(header.readUInt32BE(4), maxFramePayloadBytes);
      length = Math.min(extent.bytes, Math.max(length, first));
    }
    const buffer = Buffer.allocUnsafe(length);
    await readFully(handle, buffer, extent.offset);
    return buffer;
  }

  /**
   * Moves on to the next extent, closing the file when it lies in another one: a segment is deleted once
   * its records are delivered, and an open handle would keep its disk space taken.
   */
  async #next(): Promise<void> {
    this.#extents.shift();
    if (this.#extents.first?.path !== this.#handlePath) await this.close();
  }

  /** Gives up the rest of `extent` (its records count as lost) and moves on to the next one. */
  async #giveUp(extent: SpillExtent, problem: string): Promise<SpillRead<R>> {
    await this.#next();
    return { records: [], sizes: [], lost: extent.count > 0 ? [{ start: extent.firstOrdinal, count: extent.count }] : [], problem };
  }
}

/** Declared payload length of the frame at `offset`, or 0 when its header is cut. */
function payloadLength(buffer: Buffer, offset: number): number {
  return buffer.length - offset >= frameHeaderBytes ? buffer.readUInt32BE(offset + 4) : 0;
}

/** Reads `buffer.length` bytes at `position`, or throws when the file ends first. */
async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let filled = 0; filled < buffer.length; ) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) throw new Error(`file ends ${buffer.length - filled} bytes early`);
    filled += bytesRead;
  }
}
