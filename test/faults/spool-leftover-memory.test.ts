/**
 * Issue 13: a spool segment left by an earlier process was replayed by reading it whole into memory
 * (every record deserialized at once), outside the sink's memory bound. It is now read back a chunk at
 * a time (about 1 MiB of frames): with the receiver stalled on the first batch, the heap holds one
 * chunk's records, not the segment's (the payload bytes deserialized while it stalls stay within the
 * sink's memory bound); then every record is delivered, in order, and the file deleted.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSink } from "../../runtime/reliability/sink/sink.js";
import { encodeFrames } from "../../runtime/reliability/spool/spool-frame.js";
import type { EncodedBatch } from "../../runtime/transports/transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { tempDir } from "../helpers/daemons.js";
import { ok, ScriptedTransport } from "../helpers/scripted-transport.js";
import type { SeqRecord } from "../helpers/seq-records.js";
import { deserializeSeq, serializeSeq } from "../helpers/spool-codec.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

interface SeqBatch extends EncodedBatch {
  readonly seqs: readonly number[];
}

describe("a leftover spool segment", () => {
  it("is replayed a chunk at a time: heap within the bound while the receiver stalls, then all delivered in order", async () => {
    const temp = tempDir("spool-leftover-");
    cleanups.push(async () => temp.remove());
    const dir = path.join(temp.dir, "spool");
    mkdirSync(dir, { recursive: true });
    const records = 120_000; // ~12 MiB of frames in one segment
    const file = path.join(dir, "segment-000000000001.spool");
    writeFileSync(file, encodeFrames(Array.from({ length: records }, (_, seq) => serializeSeq({ seq, msg: `leftover record ${seq} `.padEnd(80, "x") }))));
    const maxQueueBytes = 2 * 1024 * 1024;
    const transport = new ScriptedTransport();
    let deserializedBytes = 0;
    const sink = createSink<SeqRecord>({
      transport,
      encode: (batch): SeqBatch => ({ body: new Uint8Array(batch.length), count: batch.length, bytes: batch.length, seqs: batch.map((r) => r.seq) }),
      serialize: serializeSeq,
      deserialize: (bytes) => {
        deserializedBytes += bytes.byteLength;
        return deserializeSeq(bytes);
      },
      spool: { dir, maxBytes: 64 * 1024 * 1024 },
      maxQueueBytes,
      flushIntervalMs: 1,
    });
    cleanups.push(() => sink.shutdown(100));
    await until(() => transport.pending.length > 0, 5000);
    await new Promise((r) => setTimeout(r, 100)); // nothing more is read while the first batch is in flight
    const held = deserializedBytes;
    console.log(`12 MiB leftover segment (${records} records), receiver stalled: ${(held / 1024 / 1024).toFixed(2)} MiB read back (bound 2 MiB)`);
    expect(held).toBeLessThanOrEqual(maxQueueBytes);
    transport.auto = () => ok;
    transport.respond(ok);
    expect((await sink.flush(20_000)).status).toBe("complete");
    const seqs = transport.sent.flatMap((b) => [...(b as unknown as SeqBatch).seqs]);
    expect(seqs).toEqual(Array.from({ length: records }, (_, i) => i));
    expect(sink.health()).toMatchObject({ droppedTotal: 0, spool: { recovered: records, corrupt: 0 } });
    await until(() => !existsSync(file), 5000);
  }, 60_000);
});
