import { mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { segmentReadLimit } from "./segment-quarantine.js";

const segmentPattern = /^segment-(\d{12})\.spool$/;

/** A segment file already on disk when the spool opened (left by an earlier process). */
export interface SegmentFile {
  readonly index: number;
  readonly path: string;
  /** Its size when listed, in bytes. */
  readonly bytes: number;
  /** Why it cannot be read back (not a regular file, too large, cannot be stat'ed); it is then quarantined, not read. */
  readonly problem?: string;
}

/** `dir/segment-<12-digit index>.spool`: names sort in write order. */
export function segmentPath(dir: string, index: number): string {
  return path.join(dir, `segment-${String(index).padStart(12, "0")}.spool`);
}

/**
 * Creates `dir` if needed and lists its segment files, oldest first (other files, quarantined ones too, are ignored).
 * Synchronous: called once, when the sink is constructed.
 * @throws the `fs` error when the directory cannot be created or read.
 */
export function listSegments(dir: string): SegmentFile[] {
  mkdirSync(dir, { recursive: true });
  const found: SegmentFile[] = [];
  for (const name of readdirSync(dir)) {
    const match = segmentPattern.exec(name);
    if (match === null) continue;
    const file = path.join(dir, name);
    found.push({ index: Number(match[1]), path: file, ...inspectSegment(file) });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Its size, and why it cannot be read back when it cannot. */
function inspectSegment(file: string): { bytes: number; problem?: string } {
  try {
    const info = statSync(file);
    if (!info.isFile()) return { bytes: info.size, problem: "not a regular file" };
    if (info.size > segmentReadLimit) return { bytes: info.size, problem: `${info.size} bytes, more than the ${segmentReadLimit} the reader can load` };
    return { bytes: info.size };
  } catch (error: unknown) {
    return { bytes: 0, problem: error instanceof Error ? error.message : String(error) };
  }
}
