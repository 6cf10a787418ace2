import type { StandardLogEntry } from "../../generated/index.js";
import {
  standardLogEntryReservedKeys,
  writeStandardLogEntryMsgpack,
  writeStandardLogEntryMsgpackFields,
} from "../../generated/emp/telemetry/v1/log_contract.js";
import type { Redaction } from "../records/redaction.js";
import { type SplitTime, splitTimeToNanos } from "../wire/time-split.js";
import { FlatDataWriter, notFlat, tooBig } from "./flat-data-msgpack.js";
import { OwnFieldsWriter } from "./own-fields-msgpack.js";
import { type ChunkedForwardEntry, chunkedDataBytes, ForwardChunks, isChunkedForwardEntry } from "./forward-chunks.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";
import type { ForwardBatch } from "../transports/forward/forward-transport.js";

/**
 * A log entry kept compactly in the forward sink's queue: its forward entry `[EventTime, record]`
 * as the generated msgpack writer writes it, held as a one-byte string (one character per byte),
 * without the fields the writer caches per object (the service's, the same in every entry), and a
 * 1-byte trailer: the id of those cached fields (0: none, the entry is whole). A batch puts them back
 * as the record's last entries (a msgpack map's order carries no meaning). About 40% of the heap of
 * the entry it was made from (its typed values, its time, its objects), which is garbage at once.
 */
export type CompactForwardEntry = string;

/** Most distinct cached-field blobs one encoder refers to by id; past it, entries carry them inline. */
const maxBlobs = 255;

/**
 * Heap bytes a queued compact entry holds: the string (a 16-byte header and its bytes, rounded up to
 * 8) and its queue slot (16), the estimate the sink's byte bound adds up.
 */
export function compactForwardEntryBytes(entry: CompactForwardEntry): number {
  return 40 + entry.length;
}

/** An entry queued in a written form: compact, or chunked (see {@link ForwardQueued}). */
export type WrittenForwardEntry = CompactForwardEntry | ChunkedForwardEntry;

/** Cached fields: their bytes (as a one-byte string, for a native copy), their count and their id. */
interface Blob {
  readonly text: string;
  readonly count: number;
  readonly id: number;
}

/**
 * Leaves out the first cached fields of an entry (see {@link MsgpackWriter.cachedFields}) and
 * remembers which they were, so that they are kept once instead of in every queued entry: set as a
 * writer's {@link MsgpackWriter.leaveOut}.
 */
class FieldSplicer {
  readonly #ids = new WeakMap<object, Blob>();
  /** The blobs' bytes by id (index 0: none). Never shrinks; at most {@link maxBlobs} + 1. */
  readonly blobs: string[] = [""];
  /** Id of the left-out fields of the entry being written, or 0. */
  spliceId = 0;

  readonly leaveOut = <K extends object>(key: K, write: (key: K, sink: MsgpackWriter) => number): number => {
    if (this.spliceId !== 0) return -1;
    let hit = this.#ids.get(key);
    if (hit === undefined) {
      const scratch = new MsgpackWriter(256);
      const count = write(key, scratch);
      const text = scratch.takeLatin1();
      hit = { text, count, id: this.blobs.length <= maxBlobs ? this.blobs.push(text) - 1 : 0 };
      this.#ids.set(key, hit);
    }
    if (hit.id === 0) return -1;
    this.spliceId = hit.id;
    return hit.count;
  };
}

/**
 * What the forward sink's queue holds: entries, entries compacted while the sink held records back,
 * and entries written by the direct route (compact while it holds records back, chunked otherwise).
 */
export type ForwardQueued = StandardLogEntry | CompactForwardEntry | ChunkedForwardEntry;

/** Compacts entries for the forward sink's queue, and writes batches and spool records from what it holds. */
export interface FluentCompactLog {
  /** The entry's compact form. Throws only where the generated writer would (a time outside uint32 seconds). */
  compact(entry: StandardLogEntry): CompactForwardEntry;
  /**
   * `entry` with `data`'s fields as its data and `time` as its time, written straight from the call's
   * free-form data when it is flat and safe (see {@link FlatDataWriter}), without making the typed values
   * or the entry:
   * chunked (see {@link ChunkedForwardEntry}) when `flowing` (the sink sends as it should and has room)
   * and the data is at most {@link chunkedDataBytes}, else compact, the same bytes as `compact` of the
   * entry `safeData` and the builder would make. `entry` is complete but for its data, which must be
   * empty, and its time, which is `time`'s whole second or a time within it (the compact form sets it to
   * `time`). `undefined` when the data needs the general path. Throws only where `compact` would.
   */
  direct(
    entry: StandardLogEntry,
    data: object | undefined,
    redaction: Redaction,
    maxBytes: number,
    flowing: boolean,
    time: SplitTime,
  ): WrittenForwardEntry | undefined;
  /**
   * Heap bytes a queued entry in a written form stands for, the estimate the sink's byte bound adds up
   * ({@link compactForwardEntryBytes}, {@link ForwardChunks.bytesOf}).
   */
  bytesOf(entry: WrittenForwardEntry): number;
  /**
   * A PackedForward body of `records`: each entry as {@link createFluentLogEncoder} writes it, each
   * compact entry with its cached fields last. Throws only on an entry the generated writer refuses.
   */
  encode(records: readonly ForwardQueued[]): ForwardBatch;
}

/**
 * The forward path for entries tagged `tag`: entries are written by the generated msgpack writer
 * when their batch is encoded, or when they were queued: compacted ({@link FluentCompactLog.compact}),
 * or written straight from a call's data ({@link FluentCompactLog.direct}), compact or in a chunk; a
 * batch puts the compact ones' cached fields back and sends chunked ones from their chunks. Not
 * re-entrant (one writer each for compacting, chunks and batches): the sink calls it synchronously.
 */
export function createFluentCompactLog(tag: string): FluentCompactLog {
  const splicer = new FieldSplicer();
  const compacting = new MsgpackWriter(4096);
  compacting.leaveOut = splicer.leaveOut;
  const blobs = splicer.blobs;
  const batch = new MsgpackWriter(64 * 1024);
  const trailer = new Uint8Array(1);
  const chunks = new ForwardChunks();
  const flat = new FlatDataWriter(standardLogEntryReservedKeys);
  const ownFields = new OwnFieldsWriter();

  const startCompact = (): void => {
    compacting.reset();
    splicer.spliceId = 0;
  };
  /** The compact entry written since {@link startCompact}, with its trailer. */
  const takeCompact = (): CompactForwardEntry => {
    trailer[0] = splicer.spliceId;
    compacting.writeRaw(trailer);
    return compacting.takeLatin1();
  };

  const compact = (entry: StandardLogEntry): CompactForwardEntry => {
    startCompact();
    compacting.writeEntryTime(entry.timeUnixNano);
    writeStandardLogEntryMsgpack(entry, compacting);
    return takeCompact();
  };

  /**
   * Writes `entry` with `data` as its data and `time` as its time into `w` (see {@link FluentCompactLog.direct}):
   * entries written, or what the data walk refused.
   */
  const writeDirect = (
    w: MsgpackWriter,
    entry: StandardLogEntry,
    data: object | undefined,
    redaction: Redaction,
    maxBytes: number,
    time: SplitTime,
  ): number => {
    w.writeEntryHeader(time.second, time.nanos);
    const at = w.beginMap();
    const n = data === undefined ? 0 : flat.writeFields(data, w, redaction, maxBytes);
    if (n < 0) return n;
    // The compacting writer leaves the service's fields out (see FieldSplicer): it writes them itself,
    // the time from the entry's.
    w.endMap(at, n + (w === compacting ? writeStandardLogEntryMsgpackFields(entry, w) : ownFields.write(entry, w, time)));
    return n;
  };

  /**
   * The entry written in a chunk; else nothing is kept, and {@link notFlat} when the data needs the
   * general path, {@link tooBig} when it is to be kept compact (over {@link chunkedDataBytes}, or no
   * chunk to be had).
   */
  const chunked = (
    entry: StandardLogEntry,
    data: object | undefined,
    redaction: Redaction,
    maxBytes: number,
    time: SplitTime,
  ): ChunkedForwardEntry | typeof notFlat | typeof tooBig => {
    const w = chunks.writer();
    if (w === undefined) return tooBig;
    const start = w.length;
    let n = notFlat;
    try {
      n = writeDirect(w, entry, data, redaction, Math.min(maxBytes, chunkedDataBytes), time);
    } finally {
      if (n < 0) w.truncate(start);
    }
    return n === notFlat || n === tooBig ? n : chunks.commit();
  };

  const direct: FluentCompactLog["direct"] = (entry, data, redaction, maxBytes, flowing, time) => {
    if (flowing) {
      const written = chunked(entry, data, redaction, maxBytes, time);
      if (written === notFlat) return undefined;
      if (written !== tooBig) return written;
    }
    entry.timeUnixNano = splitTimeToNanos(time);
    startCompact();
    return writeDirect(compacting, entry, data, redaction, maxBytes, time) < 0 ? undefined : takeCompact();
  };

  /** Writes one queued record whole into `w`. */
  const put = (w: MsgpackWriter, record: ForwardQueued): void => {
    if (isChunkedForwardEntry(record)) {
      chunks.copyInto(w, record);
      return;
    }
    if (typeof record !== "string") {
      w.writeEntryTime(record.timeUnixNano);
      writeStandardLogEntryMsgpack(record, w);
      return;
    }
    const own = record.length - 1;
    w.writeLatin1(record, own);
    const blob = blobs[record.charCodeAt(own)] ?? "";
    if (blob.length > 0) w.writeLatin1(blob);
  };

  const encode = (records: readonly ForwardQueued[]): ForwardBatch => {
    const sliced = chunks.slices(records);
    if (sliced !== undefined) return { tag, count: records.length, ...sliced };
    batch.reset();
    for (const r of records) put(batch, r);
    const body = batch.takeBytes();
    return { tag, body, count: records.length, bytes: body.length };
  };

  const bytesOf = (entry: WrittenForwardEntry): number => (isChunkedForwardEntry(entry) ? chunks.bytesOf(entry) : compactForwardEntryBytes(entry));

  return { compact, direct, bytesOf, encode };
}
