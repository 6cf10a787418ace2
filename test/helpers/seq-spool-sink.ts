// A sink of numbered records with a disk spool and an in-memory transport, for the spool tests:
// batches keep their records' seqs, records go to disk as JSON (spool-codec.ts).
import path from "node:path";
import type { SinkOptions } from "../../runtime/reliability/sink/options.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import type { SpoolOptions } from "../../runtime/reliability/spool/spool-options.js";
import type { EncodedBatch } from "../../runtime/transports/transport.js";
import { tempDir } from "./daemons.js";
import type { ScriptedTransport } from "./scripted-transport.js";
import type { SeqRecord } from "./seq-records.js";
import { deserializeSeq, serializeSeq } from "./spool-codec.js";

/** A batch that keeps the seqs of its records. */
export interface SeqBatch extends EncodedBatch {
  readonly seqs: readonly number[];
}

/** Encodes records as a {@link SeqBatch} (one byte per record). */
export const encodeSeqs = (records: SeqRecord[]): SeqBatch => ({
  body: new Uint8Array(records.length),
  count: records.length,
  bytes: records.length,
  seqs: records.map((r) => r.seq),
});

/** Every seq the transport was sent, in order. */
export const deliveredSeqs = (transport: ScriptedTransport): number[] => transport.sent.flatMap((b) => [...(b as unknown as SeqBatch).seqs]);

/** A fresh spool directory, removed after the test. */
export function scratchSpoolDir(cleanups: Array<() => Promise<unknown>>, prefix: string): string {
  const temp = tempDir(prefix);
  cleanups.push(async () => temp.remove());
  return path.join(temp.dir, "spool");
}

/** A spooled sink of seq records over `transport`, quick to flush and retry, shut down after the test. */
export function seqSpoolSink(
  cleanups: Array<() => Promise<unknown>>,
  transport: ScriptedTransport,
  spool: SpoolOptions,
  options: Partial<SinkOptions<SeqRecord>> = {},
): Sink<SeqRecord> {
  const sink = createSink<SeqRecord>({
    transport,
    encode: encodeSeqs,
    serialize: serializeSeq,
    deserialize: deserializeSeq,
    spool,
    flushIntervalMs: 1,
    maxBatchRecords: 50,
    backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  cleanups.push(() => sink.shutdown(100));
  return sink;
}
