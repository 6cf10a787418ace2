import { open, readFile, unlink, type FileHandle } from "node:fs/promises";
import { decodeFrames, encodeFrames, frameHeaderBytes } from "./spool-frame.js";
import type { ResolvedSpoolOptions, SpoolFsync } from "./spool-options.js";
import { listSegments, segmentPath, type SegmentFile } from "./segment-files.js";
import { quarantineSegment } from "./segment-quarantine.js";

/** How records become spool payloads and back. Both run off the hot path. */
export interface SpoolCodec<R> {
  /** Record → bytes, in the write turn after `enqueue`. If it throws the record is kept in memory only (counted in `serializeErrors`). */
  readonly serialize: (record: R) => Uint8Array;
  /** Bytes → record, when an earlier process's segment is recovered. If it throws the frame counts as `corrupt`. */
  readonly deserialize: (bytes: Uint8Array) => R;
}

/** A frozen snapshot of a spool, part of the sink's health. */
export interface SpoolHealth {
  readonly dir: string;
  readonly fsync: SpoolFsync;
  /** The bound, in bytes. */
  readonly maxBytes: number;
  /** Bytes of segment files not yet deleted plus estimates of records not yet written. */
  readonly bytes: number;
  /** Segment files on disk (open, closed and left by an earlier process). */
  readonly segments: number;
  /** Records accepted but not yet written (in the write buffer or the write in progress). */
  readonly pending: number;
  /** Records appended to a segment by this process: they survive a crash of the process. */
  readonly written: number;
  /** Records of this process fdatasync'd: they survive a crash of the machine (0 with `fsync: "never"`). */
  readonly synced: number;
  /** Records read back from segments of an earlier process (they are resent first). */
  readonly recovered: number;
  /** Segments of an earlier process not read back yet. */
  readonly recoverableSegments: number;
  /** Corrupt regions skipped while reading segments back (bad CRC, cut-short frame, undecodable payload). */
  readonly corrupt: number;
  /** Failed opens, writes, syncs, reads or deletes (the records stay in memory; the spool keeps trying). */
  readonly ioErrors: number;
  /** Records the serializer threw on (kept in memory only). */
  readonly serializeErrors: number;
  /** Segments deleted because every record in them was delivered or dropped. */
  readonly deletedSegments: number;
  /** Leftover segments that could not be read back, moved aside as `<name>.quarantined` (kept, never deleted). */
  readonly quarantined: number;
  /** Their size, in bytes; it no longer counts toward `maxBytes`. */
  readonly quarantinedBytes: number;
}

/** An earlier process's segment, read back. */
export interface RecoveredSegment<R> {
  readonly file: SegmentFile;
  /** Its intact records, oldest first. */
  readonly records: R[];
  /** Payload size of each record, in bytes (the byte estimate used for batching). */
  readonly sizes: number[];
  /** True when the file could not be read; it was quarantined (kept on disk, not deleted). */
  readonly unreadable: boolean;
}

interface OpenSegment {
  readonly path: string;
  readonly handle: FileHandle;
  bytes: number;
  /** Ordinal after its last record (records are numbered in admission order from 0). */
  end: number;
}

interface ClosedSegment {
  readonly path: string;
  readonly bytes: number;
  readonly end: number;
}

/**
 * The disk spool of one sink: a write-ahead log of the records it accepted, in segment files of
 * length-prefixed, CRC-checked frames ({@link encodeFrames}).
 *
 * - {@link DiskSpool.admit} (hot path) only checks the byte bound, pushes the record on the write
 *   buffer and, for the first record of a turn, schedules the writer with `setImmediate`. O(1).
 * - The writer serialises the buffered records, appends them in ONE write to the open segment, then
 *   syncs as the {@link SpoolFsync} policy says; one write is in progress at a time, records accepted
 *   meanwhile form the next group (group commit). Segments are closed at `segmentBytes`.
 * - The sink reports how many of its records were settled (delivered or dropped, in FIFO order);
 *   a closed segment whose records are all settled is deleted.
 * - Segments found at start are read back one at a time ({@link DiskSpool.loadNext}) and deleted
 *   once the sink settled all their records. One that cannot be read (not a file, over 2 GiB, a failed
 *   read) is moved aside as `<name>.quarantined`, counted, diagnosed, and no longer held in the bound.
 * - Failures (disk full, I/O errors) are counted in `ioErrors` and never thrown: the records stay in
 *   the sink's memory queue, only their durability is lost. After a failed write the segment is closed.
 */
export class DiskSpool<R> {
  readonly #o: ResolvedSpoolOptions;
  readonly #codec: SpoolCodec<R>;
  readonly #onProblem: (kind: string, message: string) => void;
  readonly #recoverable: SegmentFile[];
  readonly #closed: ClosedSegment[] = [];
  readonly #idleWaiters: Array<() => void> = [];
  /** Deletions in progress (awaited by `close`). */
  readonly #unlinks = new Set<Promise<void>>();
  readonly #run = (): void => {
    void this.#writeLoop();
  };
  readonly #onSyncTimer = (): void => {
    this.#syncTimer = undefined;
    this.#syncDue = true;
    this.#kick();
  };
  #nextIndex: number;
  #current: OpenSegment | undefined;
  #pending: R[] = [];
  #pendingBytes = 0;
  #admitted = 0;
  #groupEnd = 0;
  #settled = 0;
  #bytes = 0;
  #scheduled = false;
  #writing = false;
  #syncDue = false;
  #syncTimer: NodeJS.Timeout | undefined;
  #unsynced = 0;
  #closing = false;
  #written = 0;
  #synced = 0;
  #recovered = 0;
  #corrupt = 0;
  #ioErrors = 0;
  #serializeErrors = 0;
  #deleted = 0;
  #quarantined = 0;
  #quarantinedBytes = 0;

  /**
   * Opens the spool: creates the directory and lists the segments left there (synchronously, once).
   * @throws the `fs` error when the directory cannot be created or read (the sink turns it into `config_invalid`).
   */
  constructor(options: ResolvedSpoolOptions, codec: SpoolCodec<R>, onProblem: (kind: string, message: string) => void) {
    this.#o = options;
    this.#codec = codec;
    this.#onProblem = onProblem;
    this.#recoverable = listSegments(options.dir);
    this.#nextIndex = (this.#recoverable.at(-1)?.index ?? 0) + 1;
    for (const file of this.#recoverable) if (file.problem === undefined) this.#bytes += file.bytes; // the others are quarantined
  }

  /** Segments of an earlier process not read back yet. */
  get recoverableSegments(): number {
    return this.#recoverable.length;
  }

  /**
   * Hot path: takes `record` (byte estimate `bytes`, plus the 12-byte frame header) into the write
   * buffer, or returns false when the spool's bound has no room or it is closing. No I/O, no
   * allocation beyond the buffer slot.
   */
  admit(record: R, bytes: number): boolean {
    const cost = (bytes > 0 ? bytes : 0) + frameHeaderBytes;
    if (this.#closing || this.#bytes + cost > this.#o.maxBytes) return false;
    this.#bytes += cost;
    this.#pendingBytes += cost;
    this.#pending.push(record);
    this.#admitted++;
    if (!this.#scheduled && !this.#writing) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
    return true;
  }

  /** The sink settled its first `total` admitted records (delivered or dropped); deletes segments holding only those. */
  settle(total: number): void {
    this.#settled = total;
    const closed = this.#closed;
    while (closed.length > 0 && (closed[0] as ClosedSegment).end <= total) {
      const segment = closed.shift() as ClosedSegment;
      this.#remove(segment.path, segment.bytes);
    }
  }

  /**
   * Reads the oldest segment left by an earlier process, or resolves `undefined` when none is left.
   * Corrupt frames are skipped and counted. Never rejects: an unreadable file gives no records and is quarantined.
   */
  async loadNext(): Promise<RecoveredSegment<R> | undefined> {
    const file = this.#recoverable.shift();
    if (file === undefined) return undefined;
    if (file.problem !== undefined) return this.#quarantine(file, file.problem, 0);
    let bytes: Buffer;
    try {
      bytes = await readFile(file.path);
    } catch (error: unknown) {
      this.#ioErrors++;
      return this.#quarantine(file, error instanceof Error ? error.message : String(error), file.bytes);
    }
    const { payloads, corrupt } = decodeFrames(bytes);
    const records: R[] = [];
    const sizes: number[] = [];
    let undecodable = 0;
    for (const payload of payloads) {
      try {
        records.push(this.#codec.deserialize(payload));
        sizes.push(payload.byteLength);
      } catch {
        undecodable++; // counted as corrupt just below
      }
    }
    this.#corrupt += corrupt + undecodable;
    if (corrupt + undecodable > 0) this.#onProblem("spool_corrupt", `skipped ${corrupt + undecodable} corrupt frame(s) in ${file.path}`);
    this.#recovered += records.length;
    return { file, records, sizes, unreadable: false };
  }

  /**
   * Moves an unreadable leftover segment aside, counts it, says so once, and releases the `counted` bytes
   * it held in the bound: one bad file must not keep the spool full (every new record dropped as `queue_full`).
   */
  async #quarantine(file: SegmentFile, reason: string, counted: number): Promise<RecoveredSegment<R>> {
    this.#bytes -= counted;
    const moved = await quarantineSegment(file.path);
    const where =
      "to" in moved
        ? `moved to ${moved.to} (kept, not deleted)`
        : `left in place, it could not be moved aside (${moved.error instanceof Error ? moved.error.message : String(moved.error)})`;
    if ("to" in moved) {
      this.#quarantined++;
      this.#quarantinedBytes += file.bytes;
    } else this.#ioErrors++;
    this.#onProblem(
      "spool_quarantined",
      `spool segment ${file.path} cannot be read back (${reason}): ${where}; its ${file.bytes} bytes no longer count toward spool.maxBytes. ` +
        "Its records are not resent; inspect or delete the file.",
    );
    return { file, records: [], sizes: [], unreadable: true };
  }

  /** Every record of `segment` was settled: deletes its file (unless it was unreadable). */
  releaseRecovered(segment: RecoveredSegment<R>): void {
    if (!segment.unreadable) this.#remove(segment.file.path, segment.file.bytes);
  }

  /**
   * Writes what is buffered, syncs (unless `never`), closes the open segment and deletes every segment
   * whose records were all settled; segments with unsettled records stay for the next process.
   * Resolves once those deletions are done. Later `admit` calls return false. Never rejects.
   */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#writing || this.#scheduled) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    const current = this.#current;
    if (current !== undefined) {
      await this.#closeCurrent(current);
      this.settle(this.#settled);
    }
    await Promise.all(this.#unlinks);
  }

  /** A frozen snapshot of the counters. */
  health(): SpoolHealth {
    return Object.freeze({
      dir: this.#o.dir,
      fsync: this.#o.fsync,
      maxBytes: this.#o.maxBytes,
      bytes: this.#bytes,
      segments: this.#recoverable.length + this.#closed.length + (this.#current === undefined ? 0 : 1),
      pending: this.#admitted - this.#groupEnd,
      written: this.#written,
      synced: this.#synced,
      recovered: this.#recovered,
      recoverableSegments: this.#recoverable.length,
      corrupt: this.#corrupt,
      ioErrors: this.#ioErrors,
      serializeErrors: this.#serializeErrors,
      deletedSegments: this.#deleted,
      quarantined: this.#quarantined,
      quarantinedBytes: this.#quarantinedBytes,
    });
  }

  #kick(): void {
    if (this.#scheduled || this.#writing) return;
    this.#scheduled = true;
    setImmediate(this.#run);
  }

  async #writeLoop(): Promise<void> {
    this.#scheduled = false;
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#pending.length > 0 || this.#syncDue) {
        if (this.#pending.length > 0) await this.#writeGroup();
        else await this.#sync();
      }
    } catch (error: unknown) {
      this.#ioError("write loop", error);
    }
    this.#writing = false;
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async #writeGroup(): Promise<void> {
    const records = this.#pending;
    const estimate = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    const payloads: Uint8Array[] = [];
    for (const record of records) {
      try {
        payloads.push(this.#codec.serialize(record));
      } catch (error: unknown) {
        this.#serializeErrors++;
        this.#onProblem("spool_serialize", `serialize failed, record kept in memory only: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const frames = encodeFrames(payloads);
    const end = this.#groupEnd + records.length;
    this.#groupEnd = end;
    this.#bytes += frames.byteLength - estimate;
    let segment = this.#current;
    try {
      segment ??= await this.#openSegment();
      this.#current = segment;
      segment.end = end;
      segment.bytes += frames.byteLength; // counted before the write: a partial write still takes room
      for (let offset = 0; offset < frames.byteLength; ) offset += (await segment.handle.write(frames, offset)).bytesWritten;
      this.#written += payloads.length;
      this.#unsynced += payloads.length;
      const fsync = this.#o.fsync;
      if (fsync === "always" || (fsync === "batch" && this.#unsynced >= this.#o.syncEveryRecords)) await this.#sync();
      else if (fsync === "batch" && this.#syncTimer === undefined) this.#syncTimer = setTimeout(this.#onSyncTimer, this.#o.syncIntervalMs).unref();
      if (segment.bytes >= this.#o.segmentBytes) await this.#closeCurrent(segment);
    } catch (error: unknown) {
      this.#ioError("write", error);
      if (segment === undefined)
        this.#bytes -= frames.byteLength; // nothing reached the disk
      else await this.#closeCurrent(segment); // a partial frame at its end is skipped as corrupt on recovery
    }
    this.settle(this.#settled);
  }

  async #openSegment(): Promise<OpenSegment> {
    const file = segmentPath(this.#o.dir, this.#nextIndex++);
    const handle = await open(file, "wx");
    if (this.#o.fsync !== "never") {
      try {
        const dir = await open(this.#o.dir, "r"); // make the new directory entry durable too
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch (error: unknown) {
        this.#ioError("directory sync", error);
      }
    }
    return { path: file, handle, bytes: 0, end: this.#groupEnd };
  }

  async #sync(): Promise<void> {
    this.#syncDue = false;
    clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    const current = this.#current;
    if (current === undefined || this.#unsynced === 0) return;
    const count = this.#unsynced;
    try {
      await current.handle.datasync();
      this.#synced += count;
      this.#unsynced -= count;
    } catch (error: unknown) {
      this.#ioError("fdatasync", error);
    }
  }

  /** Syncs (unless `never`) and closes the open segment; it is deleted once its records are settled. */
  async #closeCurrent(segment: OpenSegment): Promise<void> {
    if (this.#o.fsync !== "never") await this.#sync();
    this.#unsynced = 0;
    this.#current = undefined;
    try {
      await segment.handle.close();
    } catch (error: unknown) {
      this.#ioError("close", error);
    }
    this.#closed.push({ path: segment.path, bytes: segment.bytes, end: segment.end });
  }

  #remove(file: string, bytes: number): void {
    this.#bytes -= bytes;
    this.#deleted++;
    const removal = unlink(file).catch((error: unknown) => this.#ioError("unlink", error));
    this.#unlinks.add(removal);
    void removal.finally(() => this.#unlinks.delete(removal));
  }

  #ioError(what: string, error: unknown): void {
    this.#ioErrors++;
    this.#onProblem("spool_io", `spool ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
