import { open, unlink } from "node:fs/promises";
import { encodeFrames, frameHeaderBytes } from "./spool-frame.js";
import type { LeftoverChunk, LeftoverSegmentReader, UnreadableSegment } from "./leftover-segment.js";
import { LeftoverSegments } from "./leftover-segments.js";
import type { ResolvedSpoolOptions } from "./spool-options.js";
import { segmentPath, type SegmentFile } from "./segment-files.js";
import { maxSpillBufferBytes, SpillBacklog, type SpillOutcome } from "./spill-backlog.js";
import type { SpoolCodec } from "./spool-codec.js";
import type { SpoolHealth } from "./spool-health.js";
import { writeSegmentSync } from "./segment-write-sync.js";
import type { ClosedSegment, OpenSegment } from "./open-segment.js";
import type { SpoolHooks } from "./spool-hooks.js";

/**
 * The disk spool of one sink: a write-ahead log of the records it accepted, in segment files of
 * length-prefixed, CRC-checked frames ({@link encodeFrames}), and the overflow of its memory queue.
 *
 * - {@link DiskSpool.admit} (hot path) only checks the byte bound, pushes the record on the write
 *   buffer and, for the first record of a turn, schedules the writer with `setImmediate`. O(1).
 * - {@link DiskSpool.spill} takes a record the memory queue has no room for: serialized at once, its
 *   bytes wait in the write buffer (at most {@link maxSpillBufferBytes}), and once written it is on disk
 *   only. While any spilled record is not read back, {@link DiskSpool.spilling} is true and the sink
 *   spills every new record too, so records stay in admission order. {@link DiskSpool.readSpilled}
 *   reads them back in order, a chunk at a time, as the memory queue makes room.
 * - The writer serialises the buffered records, appends them in ONE write to the open segment, then
 *   syncs as the {@link SpoolFsync} policy says; one write is in progress at a time, records accepted
 *   meanwhile form the next group (group commit). Segments are closed at `segmentBytes`.
 * - The sink reports how many of its records were settled (delivered or dropped, in FIFO order);
 *   a closed segment whose records are all settled is deleted.
 * - Segments found at start are read back one at a time ({@link DiskSpool.loadNext}) and deleted
 *   once the sink settled all their records. One that cannot be read (not a file, over 2 GiB, a failed
 *   read) is moved aside as `<name>.quarantined`, counted, diagnosed, and no longer held in the bound.
 * - Failures (disk full, I/O errors) are counted in `ioErrors` and never thrown: records in memory stay
 *   there (only their durability is lost), spilled ones are reported lost. A failed write is truncated
 *   away and its segment closed.
 */
export class DiskSpool<R> {
  readonly #o: ResolvedSpoolOptions;
  readonly #codec: SpoolCodec<R>;
  readonly #onProblem: (kind: string, message: string) => void;
  readonly #hooks: SpoolHooks;
  readonly #spill: SpillBacklog<R>;
  readonly #leftovers: LeftoverSegments<R>;
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
  #corrupt = 0;
  #ioErrors = 0;
  #serializeErrors = 0;
  #deleted = 0;

  /**
   * Opens the spool: creates the directory and lists the segments left there (synchronously, once).
   * @throws the `fs` error when the directory cannot be created or read (the sink turns it into `config_invalid`).
   */
  constructor(options: ResolvedSpoolOptions, codec: SpoolCodec<R>, hooks: SpoolHooks) {
    this.#o = options;
    this.#codec = codec;
    this.#hooks = hooks;
    this.#onProblem = hooks.problem;
    this.#spill = new SpillBacklog<R>(codec); // its write buffer always follows `#pending` in admission order
    this.#leftovers = new LeftoverSegments<R>(options.dir, codec, {
      problem: (kind, message) => this.#onProblem(kind, message),
      ioError: () => this.#ioErrors++,
      release: (bytes) => {
        this.#bytes -= bytes;
      },
      remove: (path, bytes) => this.#remove(path, bytes),
    });
    this.#nextIndex = this.#leftovers.lastIndex + 1;
    this.#bytes += this.#leftovers.bytes;
  }

  /** Segments of an earlier process not read back yet. */
  get recoverableSegments(): number {
    return this.#leftovers.pending;
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

  /** True while a spilled record is not read back yet: new records must be spilled too, to keep their order. */
  get spilling(): boolean {
    return this.#spill.unread > 0;
  }

  /** True when spilled records are written and can be read back ({@link readSpilled}). */
  get spilledReadable(): boolean {
    return this.#spill.extents.length > 0;
  }

  /** Spilled records not read back yet (they count as queued). */
  get spilled(): number {
    return this.#spill.unread;
  }

  /**
   * Takes a record that the memory queue had no room for (estimate `bytes`): serializes it now and
   * buffers its bytes for the writer; from then on it is on disk only. `full`: `spool.maxBytes` has no
   * room for its frame (or the spool is closing); `busy`: the write buffer holds {@link maxSpillBufferBytes}
   * already (the disk is slower than the producer); `serialize_error`: the serializer threw (diagnosed).
   * Never throws; O(size of the record).
   */
  spill(record: R, bytes: number): SpillOutcome {
    if (this.#closing) return "full";
    if (this.#spill.bufferedBytes >= maxSpillBufferBytes) return "busy";
    let payload: Uint8Array;
    try {
      payload = this.#codec.serialize(record);
    } catch (error: unknown) {
      this.#serializeErrors++;
      this.#onProblem("spool_serialize", `serialize failed: ${error instanceof Error ? error.message : String(error)}`);
      return "serialize_error";
    }
    const cost = payload.byteLength + frameHeaderBytes;
    if (this.#bytes + cost > this.#o.maxBytes) return "full";
    this.#bytes += cost;
    this.#spill.add(payload, cost, bytes);
    this.#admitted++;
    this.#kick();
    return "spilled";
  }

  /**
   * Reads the oldest written spilled records back, in order: as many as `room` bytes of estimates
   * allow (at least one; `capacity` caps a single estimate), at most one chunk of the file. Records it
   * cannot read back are reported through `hooks.lost`. Never rejects; one read at a time.
   */
  async readSpilled(room: number, capacity: number): Promise<{ readonly records: R[]; readonly sizes: number[] }> {
    const spill = this.#spill;
    const read = await spill.reader.read(room, capacity);
    spill.unread -= read.records.length;
    spill.readBack += read.records.length;
    let lost = 0;
    for (const hole of read.lost) {
      spill.lose(hole.start, hole.count);
      lost += hole.count;
    }
    if (lost > 0) {
      this.#corrupt++;
      this.#hooks.lost(lost, read.problem ?? "spilled records could not be read back");
    }
    return read;
  }

  /**
   * The sink settled `total` of its admitted records (delivered or dropped; in admission order, except
   * spilled records the spool reported lost); deletes segments holding only settled records.
   */
  settle(total: number): void {
    this.#settled = total;
    const end = this.#spill.prefix.end(total);
    const closed = this.#closed;
    while (closed.length > 0 && (closed[0] as ClosedSegment).end <= end) {
      const segment = closed.shift() as ClosedSegment;
      this.#remove(segment.path, segment.bytes);
    }
  }

  /**
   * Opens the oldest segment left by an earlier process for reading back a chunk at a time, or
   * resolves `undefined` when none is left. Never rejects: an unreadable file is quarantined: moved
   * aside, counted, diagnosed once, and the bytes it held released from the bound (one bad file must
   * not keep the spool full).
   */
  async loadNext(): Promise<LeftoverSegmentReader<R> | UnreadableSegment | undefined> {
    if (this.#codec.ready !== undefined) await this.#codec.ready; // a lazily loaded reader (never rejects)
    return this.#leftovers.next();
  }

  /** The next records of `reader` (corrupt frames counted); a read failure quarantines the segment and ends it. Never rejects. */
  readMore(reader: LeftoverSegmentReader<R>): Promise<LeftoverChunk<R>> {
    return this.#leftovers.readMore(reader);
  }

  /** Every record of a leftover segment was read and settled: deletes its file (unless it was quarantined). */
  releaseRecovered(file: SegmentFile): void {
    this.#leftovers.release(file);
  }

  /**
   * For a process about to end (a crash): writes the records admitted or spilled but not written yet,
   * synchronously, into a segment of their own after any write in progress (so they are read back in
   * order), and takes no more. Returns how many were written (then in `written`). Never throws.
   */
  writePendingSync(): number {
    this.#closing = true;
    const records = this.#pending;
    const spills = this.#spill.takeGroup().payloads;
    this.#pending = [];
    this.#groupEnd += records.length + spills.length;
    try {
      const payloads = records.map((record) => this.#codec.serialize(record));
      const written = writeSegmentSync(segmentPath(this.#o.dir, this.#nextIndex++), [...payloads, ...spills], this.#o.fsync);
      this.#written += written;
      return written;
    } catch (error: unknown) {
      this.#ioError("write at the crash", error);
      return 0;
    }
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
    await this.#spill.reader.close();
    await Promise.all(this.#unlinks);
  }

  /** A frozen snapshot of the counters. */
  health(): SpoolHealth {
    const leftovers = this.#leftovers.stats();
    return Object.freeze({
      dir: this.#o.dir,
      fsync: this.#o.fsync,
      maxBytes: this.#o.maxBytes,
      bytes: this.#bytes,
      segments: leftovers.recoverableSegments + this.#closed.length + (this.#current === undefined ? 0 : 1),
      pending: this.#admitted - this.#groupEnd,
      written: this.#written,
      synced: this.#synced,
      spilledTotal: this.#spill.total,
      spilled: this.#spill.unread,
      readBack: this.#spill.readBack,
      recovered: leftovers.recovered,
      recoverableSegments: leftovers.recoverableSegments,
      corrupt: this.#corrupt + leftovers.corrupt,
      ioErrors: this.#ioErrors,
      serializeErrors: this.#serializeErrors,
      deletedSegments: this.#deleted,
      quarantined: leftovers.quarantined,
      quarantinedBytes: leftovers.quarantinedBytes,
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
      if (this.#codec.ready !== undefined) await this.#codec.ready;
      while (this.#pending.length > 0 || this.#spill.buffered > 0 || this.#syncDue) {
        if (this.#pending.length > 0 || this.#spill.buffered > 0) await this.#writeGroup();
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
    const { payloads: spills, estimate: spillEstimate } = this.#spill.takeGroup();
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
    let spillAt = 0; // offset of the first spilled frame in `frames`
    for (const payload of payloads) spillAt += frameHeaderBytes + payload.byteLength;
    const frames = encodeFrames(spills.length === 0 ? payloads : [...payloads, ...spills]);
    const firstSpill = this.#groupEnd + records.length;
    const end = firstSpill + spills.length;
    this.#groupEnd = end;
    this.#bytes += spillAt - estimate; // the estimates become frame sizes; spilled frames were counted exactly at admission
    let segment = this.#current;
    let before = 0;
    let wrote = false;
    try {
      segment ??= await this.#openSegment();
      this.#current = segment;
      segment.end = end;
      before = segment.bytes;
      segment.bytes += frames.byteLength; // counted before the write: a partial write still takes room
      for (let offset = 0; offset < frames.byteLength; ) offset += (await segment.handle.write(frames, offset)).bytesWritten;
      wrote = true;
      this.#written += payloads.length + spills.length;
      this.#unsynced += payloads.length + spills.length;
      if (spills.length > 0) {
        this.#spill.extents.push(
          segment.path,
          before + spillAt,
          frames.byteLength - spillAt,
          firstSpill,
          spills.length,
          spillEstimate,
          frames.byteLength - spillAt - frameHeaderBytes * spills.length,
        );
        this.#hooks.written();
      }
      const fsync = this.#o.fsync;
      if (fsync === "always" || (fsync === "batch" && this.#unsynced >= this.#o.syncEveryRecords)) await this.#sync();
      else if (fsync === "batch" && this.#syncTimer === undefined) this.#syncTimer = setTimeout(this.#onSyncTimer, this.#o.syncIntervalMs).unref();
      if (segment.bytes >= this.#o.segmentBytes) await this.#closeCurrent(segment);
    } catch (error: unknown) {
      this.#ioError("write", error);
      if (segment === undefined)
        this.#bytes -= frames.byteLength; // nothing reached the disk
      else if (!wrote && (await this.#rollBack(segment, before))) this.#bytes -= frames.byteLength;
      if (segment !== undefined) await this.#closeCurrent(segment); // a partial frame left at its end is skipped as corrupt on recovery
      if (!wrote && spills.length > 0) this.#loseSpills(firstSpill, spills.length, error);
    }
    this.settle(this.#settled);
  }

  /** Truncates `segment` back to `bytes` after a failed write (so the next process does not read half a group). True when done. */
  async #rollBack(segment: OpenSegment, bytes: number): Promise<boolean> {
    try {
      await segment.handle.truncate(bytes);
      segment.bytes = bytes;
      return true;
    } catch (error: unknown) {
      this.#ioError("truncate", error);
      return false;
    }
  }

  /** Spilled records of a failed write: they exist nowhere else, so they are lost and reported. */
  #loseSpills(firstOrdinal: number, count: number, error: unknown): void {
    this.#spill.lose(firstOrdinal, count);
    const message = error instanceof Error ? error.message : String(error);
    const full = (error as { code?: unknown } | null)?.code === "ENOSPC" ? "the disk is full (ENOSPC); " : "";
    this.#hooks.lost(count, `${full}${count} spilled record(s) could not be written: ${message}`);
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
