import { readFile } from "node:fs/promises";
import type { SegmentFile } from "./segment-files.js";
import { quarantineSegment } from "./segment-quarantine.js";
import type { SpoolCodec } from "./spool-codec.js";
import { decodeFrames } from "./spool-frame.js";

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

/** What reading a leftover segment found: its records and corrupt regions, or why it cannot be read. */
export type LeftoverRead<R> =
  | { readonly status: "read"; readonly segment: RecoveredSegment<R>; readonly corrupt: number }
  | { readonly status: "unreadable"; readonly reason: string; readonly readFailed: boolean };

/**
 * Reads a segment left by an earlier process whole: its intact records (corrupt frames and
 * undecodable payloads skipped and counted). Never rejects.
 */
export async function readLeftoverSegment<R>(file: SegmentFile, codec: SpoolCodec<R>): Promise<LeftoverRead<R>> {
  if (file.problem !== undefined) return { status: "unreadable", reason: file.problem, readFailed: false };
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (error: unknown) {
    return { status: "unreadable", reason: error instanceof Error ? error.message : String(error), readFailed: true };
  }
  const { payloads, corrupt } = decodeFrames(bytes);
  const records: R[] = [];
  const sizes: number[] = [];
  let undecodable = 0;
  for (const payload of payloads) {
    try {
      records.push(codec.deserialize(payload));
      sizes.push(payload.byteLength);
    } catch {
      undecodable++; // counted as corrupt
    }
  }
  return { status: "read", segment: { file, records, sizes, unreadable: false }, corrupt: corrupt + undecodable };
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
