import { open, type FileHandle } from "node:fs/promises";
import type { SegmentFile } from "./segment-files.js";
import { quarantineSegment } from "./segment-quarantine.js";
import type { SpoolCodec } from "./spool-codec.js";
import { frameHeaderBytes, frameMagic, intactFrameEnd, maxFramePayloadBytes } from "./spool-frame.js";
import { spillReadChunkBytes } from "./spill-reader.js";

/** Records of an earlier process's segment read back by one {@link LeftoverSegmentReader.next}. */
export interface LeftoverChunk<R> {
  /** Intact records, oldest first. */
  readonly records: R[];
  /** Payload size of each record, in bytes (the byte estimate used for batching). */
  readonly sizes: number[];
  /** Corrupt regions and undecodable payloads skipped in this chunk. */
  readonly corrupt: number;
  /** True when the segment is read to its end. */
  readonly done: boolean;
}

/** Why a leftover segment cannot be read; `readFailed` when an I/O call failed (counted as an I/O error). */
export interface LeftoverUnreadable {
  readonly reason: string;
  readonly readFailed: boolean;
}

/** An earlier process's segment that could not be read: it was quarantined (kept on disk, not deleted). */
export interface UnreadableSegment {
  readonly file: SegmentFile;
  readonly unreadable: true;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Reads a segment left by an earlier process back a chunk at a time (about {@link spillReadChunkBytes}
 * of frames, more only for one frame longer than that), so replaying it holds one chunk's records in
 * memory, not the whole file. Corrupt frames and undecodable payloads are skipped and counted; after a
 * bad frame it resynchronises at the next magic whose frame checks out (a frame cut short at the end of
 * the file, a crash mid-write, counts once). Keeps the file open until it is read or closed.
 */
export class LeftoverSegmentReader<R> {
  readonly file: SegmentFile;
  readonly #codec: SpoolCodec<R>;
  readonly #handle: FileHandle;
  #size: number;
  readonly #chunkBytes: number;
  /** File offset of the next byte to read. */
  #offset = 0;
  /** Bytes read but not consumed (a frame cut by the chunk's end). */
  #carry: Buffer = Buffer.alloc(0);
  #inBadRegion = false;
  #done = false;

  private constructor(file: SegmentFile, codec: SpoolCodec<R>, handle: FileHandle, size: number, chunkBytes: number) {
    this.file = file;
    this.#codec = codec;
    this.#handle = handle;
    this.#size = size;
    this.#chunkBytes = chunkBytes;
  }

  /** Opens `file`, or says why it cannot be read. Never rejects. */
  static async open<R>(file: SegmentFile, codec: SpoolCodec<R>, chunkBytes = spillReadChunkBytes): Promise<LeftoverSegmentReader<R> | LeftoverUnreadable> {
    if (file.problem !== undefined) return { reason: file.problem, readFailed: false };
    let handle: FileHandle | undefined;
    try {
      handle = await open(file.path, "r");
      const info = await handle.stat();
      if (!info.isFile()) throw new Error("not a regular file");
      return new LeftoverSegmentReader(file, codec, handle, info.size, chunkBytes);
    } catch (error: unknown) {
      await handle?.close().catch(() => undefined);
      return { reason: errorText(error), readFailed: true };
    }
  }

  /** The next chunk's records, or why reading failed (the rest of the file is then given up). Never rejects. */
  async next(): Promise<LeftoverChunk<R> | LeftoverUnreadable> {
    if (this.#done) return { records: [], sizes: [], corrupt: 0, done: true };
    let buffer: Buffer;
    try {
      buffer = await this.#read();
    } catch (error: unknown) {
      await this.close();
      return { reason: errorText(error), readFailed: true };
    }
    const eof = this.#offset >= this.#size;
    const records: R[] = [];
    const sizes: number[] = [];
    let corrupt = 0;
    let pos = 0;
    while (pos < buffer.length) {
      const end = intactFrameEnd(buffer, pos);
      if (end > 0) {
        try {
          records.push(this.#codec.deserialize(buffer.subarray(pos + frameHeaderBytes, end)));
          sizes.push(end - pos - frameHeaderBytes);
        } catch {
          corrupt++; // an undecodable payload counts as corrupt
        }
        pos = end;
        this.#inBadRegion = false;
        continue;
      }
      if (!eof && cutByChunk(buffer, pos)) break; // the rest of this frame comes with the next read
      if (!this.#inBadRegion) corrupt++;
      this.#inBadRegion = true;
      const next = buffer.indexOf(frameMagic, pos + 1);
      if (next >= 0) pos = next;
      else pos = eof ? buffer.length : Math.max(pos + 1, buffer.length - (frameMagic.length - 1)); // a magic may straddle the chunks
      if (next < 0) break;
    }
    this.#carry = Buffer.from(buffer.subarray(pos)); // a copy: the chunk is not kept alive by its tail
    if (eof) await this.close();
    return { records, sizes, corrupt, done: eof };
  }

  /** Closes the file (also once it is read to its end). Never rejects. */
  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#carry = Buffer.alloc(0);
    await this.#handle.close().catch(() => undefined);
  }

  /** The carried bytes and the next chunk: at least the whole frame the carry starts, when its header says how long it is. */
  async #read(): Promise<Buffer> {
    const carry = this.#carry;
    let wanted = this.#chunkBytes;
    if (carry.length >= frameHeaderBytes && carry.compare(frameMagic, 0, frameMagic.length, 0, frameMagic.length) === 0) {
      wanted = Math.max(wanted, frameHeaderBytes + Math.min(carry.readUInt32BE(4), maxFramePayloadBytes) - carry.length);
    }
    const length = Math.max(0, Math.min(wanted, this.#size - this.#offset));
    const buffer = Buffer.allocUnsafe(carry.length + length);
    carry.copy(buffer, 0);
    let filled = carry.length;
    while (filled < buffer.length) {
      const { bytesRead } = await this.#handle.read(buffer, filled, buffer.length - filled, this.#offset);
      if (bytesRead === 0) break; // the file shrank: what is missing counts as corrupt
      filled += bytesRead;
      this.#offset += bytesRead;
    }
    if (filled < buffer.length) this.#size = this.#offset;
    return buffer.subarray(0, filled);
  }
}

/** Whether the frame at `pos` may be whole once more bytes are read: its header is cut, or it declares a length past the buffer. */
function cutByChunk(buffer: Buffer, pos: number): boolean {
  const left = buffer.length - pos;
  if (left < frameHeaderBytes) return buffer.compare(frameMagic, 0, Math.min(left, frameMagic.length), pos, pos + Math.min(left, frameMagic.length)) === 0;
  if (buffer.compare(frameMagic, 0, frameMagic.length, pos, pos + frameMagic.length) !== 0) return false;
  const length = buffer.readUInt32BE(pos + 4);
  return length <= maxFramePayloadBytes && pos + frameHeaderBytes + length > buffer.length;
}

/**
 * Moves an unreadable leftover segment aside (never deletes it) and says what happened, for the
 * one-time diagnostic. `moved` is false when it could not be moved (it then stays where it is).
 */
export async function quarantineLeftover(file: SegmentFile, reason: string): Promise<{ readonly moved: boolean; readonly message: string }> {
  const moved = await quarantineSegment(file.path);
  const where =
    "to" in moved
      ? `moved to ${moved.to} (kept, not deleted)`
      : `left in place, it could not be moved aside (${moved.error instanceof Error ? moved.error.message : String(moved.error)})`;
  return {
    moved: "to" in moved,
    message:
      `spool segment ${file.path} cannot be read back (${reason}): ${where}; its ${file.bytes} bytes no longer count toward spool.maxBytes. ` +
      "Its records are not resent; inspect or delete the file.",
  };
}
