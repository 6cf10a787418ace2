import { closeSync, fdatasyncSync, openSync, writeSync } from "node:fs";
import { encodeFrames } from "./spool-frame.js";
import type { SpoolFsync } from "./spool-options.js";

/**
 * Writes `payloads` as frames into a new segment file `path`, synchronously (for a process about to
 * end), and fdatasyncs it unless `fsync` is `never`. Returns how many records were written: all or none.
 * @throws the `fs` error when the file cannot be created or written (a cut-short frame is skipped as corrupt on recovery).
 */
export function writeSegmentSync(path: string, payloads: readonly Uint8Array[], fsync: SpoolFsync): number {
  if (payloads.length === 0) return 0;
  const frames = encodeFrames(payloads);
  const fd = openSync(path, "wx");
  try {
    for (let offset = 0; offset < frames.byteLength; ) offset += writeSync(fd, frames, offset);
    if (fsync !== "never") fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return payloads.length;
}
