/** A spool codec for {@link SeqRecord}s (JSON bytes), and a reader of what a spool directory holds. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { decodeFrames } from "../../runtime/reliability/spool/spool-frame.js";
import type { SeqRecord } from "./seq-records.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const serializeSeq = (record: SeqRecord): Uint8Array => encoder.encode(JSON.stringify(record));
export const deserializeSeq = (bytes: Uint8Array): SeqRecord => JSON.parse(decoder.decode(bytes)) as SeqRecord;

/** Segment file names in `dir`, sorted. */
export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".spool"))
    .sort();
}

/** Every intact record in the segments of `dir`, oldest first, and the corrupt regions seen. */
export function spooledSeqs(dir: string): { seqs: number[]; corrupt: number } {
  let corrupt = 0;
  const seqs: number[] = [];
  for (const file of segmentFiles(dir)) {
    const decoded = decodeFrames(readFileSync(path.join(dir, file)));
    corrupt += decoded.corrupt;
    for (const payload of decoded.payloads) seqs.push(deserializeSeq(payload).seq);
  }
  return { seqs, corrupt };
}
