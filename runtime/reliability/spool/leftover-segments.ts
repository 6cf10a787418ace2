import { LeftoverSegmentReader, quarantineLeftover, type LeftoverChunk, type LeftoverUnreadable, type UnreadableSegment } from "./leftover-segment.js";
import { listSegments, type SegmentFile } from "./segment-files.js";
import { listQuarantined } from "./segment-quarantine.js";
import type { SpoolCodec } from "./spool-codec.js";

/** What {@link LeftoverSegments} tells its spool. Each is called synchronously and must not throw. */
export interface LeftoverHooks {
  /** A rate-limited diagnostic of `kind`. */
  readonly problem: (kind: string, message: string) => void;
  /** An I/O call failed (counted in `ioErrors`). */
  readonly ioError: () => void;
  /** `bytes` of a quarantined segment no longer count toward the spool's bound. */
  readonly release: (bytes: number) => void;
  /** A segment read and settled whole: delete it (its `bytes` leave the bound). */
  readonly remove: (path: string, bytes: number) => void;
}

/** The counters of {@link LeftoverSegments}, as the spool's health shows them. */
export interface LeftoverStats {
  readonly recovered: number;
  readonly recoverableSegments: number;
  /** Corrupt regions and undecodable payloads skipped in leftover segments. */
  readonly corrupt: number;
  readonly quarantined: number;
  readonly quarantinedBytes: number;
}

/**
 * The segments an earlier process left in a spool directory, listed once (synchronously) when the spool
 * opens, then read back oldest first, each a chunk at a time. An unreadable one is quarantined: moved
 * aside, counted, diagnosed once, its bytes released from the bound. Segments quarantined by an earlier
 * run are counted too and diagnosed once. Never rejects.
 */
export class LeftoverSegments<R> {
  readonly #codec: SpoolCodec<R>;
  readonly #hooks: LeftoverHooks;
  readonly #files: SegmentFile[];
  /** Segments quarantined while being read (released without deleting). */
  readonly #unreadable = new Set<string>();
  /** Bytes of the readable segments listed (they count toward the spool's bound). */
  readonly bytes: number;
  /** Index of the newest segment listed, 0 when none. */
  readonly lastIndex: number;
  #recovered = 0;
  #corrupt = 0;
  #quarantined: number;
  #quarantinedBytes: number;

  /** @throws the `fs` error when `dir` cannot be created or read. */
  constructor(dir: string, codec: SpoolCodec<R>, hooks: LeftoverHooks) {
    this.#codec = codec;
    this.#hooks = hooks;
    this.#files = listSegments(dir);
    this.lastIndex = this.#files.at(-1)?.index ?? 0;
    this.bytes = this.#files.reduce((sum, f) => sum + (f.problem === undefined ? f.bytes : 0), 0); // the others are quarantined
    const earlier = listQuarantined(dir);
    this.#quarantined = earlier.count;
    this.#quarantinedBytes = earlier.bytes;
    if (earlier.count > 0) {
      const message =
        `${earlier.count} spool segment(s) (${earlier.bytes} bytes) quarantined by an earlier run are kept in ${dir} as *.quarantined: ` +
        "inspect or delete them";
      setImmediate(() => hooks.problem("spool_quarantined", message)).unref(); // once the sink is constructed
    }
  }

  /** Segments not opened yet. */
  get pending(): number {
    return this.#files.length;
  }

  /** Opens the oldest segment not read yet, or `undefined` when none is left; an unreadable one is quarantined. */
  async next(): Promise<LeftoverSegmentReader<R> | UnreadableSegment | undefined> {
    const file = this.#files.shift();
    if (file === undefined) return undefined;
    const reader = await LeftoverSegmentReader.open(file, this.#codec);
    if (reader instanceof LeftoverSegmentReader) return reader;
    await this.#quarantine(file, reader);
    return { file, unreadable: true };
  }

  /** The next records of `reader` (corrupt frames counted); a read failure quarantines the segment and ends it. */
  async readMore(reader: LeftoverSegmentReader<R>): Promise<LeftoverChunk<R>> {
    const chunk = await reader.next();
    if ("records" in chunk) {
      this.#corrupt += chunk.corrupt;
      if (chunk.corrupt > 0) this.#hooks.problem("spool_corrupt", `skipped ${chunk.corrupt} corrupt frame(s) in ${reader.file.path}`);
      this.#recovered += chunk.records.length;
      return chunk;
    }
    await this.#quarantine(reader.file, chunk);
    return { records: [], sizes: [], corrupt: 0, done: true };
  }

  /** Every record of `file` was read and settled: deletes it (unless it was quarantined). */
  release(file: SegmentFile): void {
    if (!this.#unreadable.delete(file.path)) this.#hooks.remove(file.path, file.bytes);
  }

  stats(): LeftoverStats {
    return {
      recovered: this.#recovered,
      recoverableSegments: this.#files.length,
      corrupt: this.#corrupt,
      quarantined: this.#quarantined,
      quarantinedBytes: this.#quarantinedBytes,
    };
  }

  async #quarantine(file: SegmentFile, why: LeftoverUnreadable): Promise<void> {
    this.#unreadable.add(file.path);
    if (why.readFailed) this.#hooks.ioError();
    if (file.problem === undefined) this.#hooks.release(file.bytes);
    const { moved, message } = await quarantineLeftover(file, why.reason);
    if (moved) {
      this.#quarantined++;
      this.#quarantinedBytes += file.bytes;
    } else this.#hooks.ioError();
    this.#hooks.problem("spool_quarantined", message);
  }
}
