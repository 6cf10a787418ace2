// The disk spool as the memory queue's overflow: records that do not fit the memory queue are
// spilled to disk and read back in order, exactly once, with exact accounting (in-memory transport).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { SinkOptions } from "../../runtime/reliability/sink/options.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import type { SpoolOptions } from "../../runtime/reliability/spool/spool-options.js";
import type { EncodedBatch } from "../../runtime/transports/transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { tempDir } from "../helpers/daemons.js";
import { ok, retryable, ScriptedTransport } from "../helpers/scripted-transport.js";
import type { SeqRecord } from "../helpers/seq-records.js";
import { deserializeSeq, segmentFiles, serializeSeq } from "../helpers/spool-codec.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

interface SeqBatch extends EncodedBatch {
  readonly seqs: readonly number[];
}
const encodeSeqs = (records: SeqRecord[]): SeqBatch => ({
  body: new Uint8Array(records.length),
  count: records.length,
  bytes: records.length,
  seqs: records.map((r) => r.seq),
});
const deliveredSeqs = (transport: ScriptedTransport): number[] => transport.sent.flatMap((b) => [...(b as unknown as SeqBatch).seqs]);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

function scratch(): string {
  const temp = tempDir("spill-test-");
  cleanups.push(async () => temp.remove());
  return path.join(temp.dir, "spool");
}

function spillSink(transport: ScriptedTransport, spool: SpoolOptions, options: Partial<SinkOptions<SeqRecord>> = {}): Sink<SeqRecord> {
  const sink = createSink<SeqRecord>({
    transport,
    encode: encodeSeqs,
    serialize: serializeSeq,
    deserialize: deserializeSeq,
    spool,
    maxQueueBytes: 10_000,
    flushIntervalMs: 1,
    maxBatchRecords: 50,
    backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    breaker: { failureThreshold: 1_000_000 },
    ...options,
  });
  cleanups.push(() => sink.shutdown(100));
  return sink;
}

describe("a sink whose memory queue is full, with a disk spool", () => {
  it("spills the records past the memory bound to disk and delivers every one in order, exactly once, when the receiver recovers", async () => {
    const dir = scratch();
    const transport = new ScriptedTransport();
    let down = true;
    const acked: number[] = [];
    transport.auto = (batch) => {
      if (down) return retryable();
      acked.push(...(batch as unknown as SeqBatch).seqs);
      return ok;
    };
    const sink = spillSink(transport, { dir, maxBytes: 8 << 20, segmentBytes: 64 * 1024 });
    for (let seq = 0; seq < 3000; seq++) {
      sink.enqueue({ seq, msg: `record ${seq}` }, 100); // the memory queue holds 100 of them
      if (seq % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => sink.health().spool?.pending === 0, 5000);
    const during = sink.health();
    expect(during).toMatchObject({ emitted: 3000, droppedTotal: 0 });
    expect(during.queuedBytes).toBeLessThanOrEqual(10_000);
    expect(during.spool?.spilled).toBeGreaterThan(2800);
    expect(deliveryIdentityHolds(during)).toBe(true);

    down = false;
    for (let seq = 3000; seq < 3500; seq++) sink.enqueue({ seq, msg: `record ${seq}` }, 100); // still arriving
    expect((await sink.flush(10_000)).status).toBe("complete");
    expect(acked).toEqual(range(0, 3500)); // in order, each once
    expect(new Set(deliveredSeqs(transport)).size).toBe(3500);
    const h = sink.health();
    expect(h).toMatchObject({ emitted: 3500, delivered: 3500, droppedTotal: 0, queued: 0, inFlight: 0 });
    expect(h.spool).toMatchObject({ spilled: 0, corrupt: 0, ioErrors: 0 });
    expect(h.spool?.readBack).toBe(h.spool?.spilledTotal);
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });
});
