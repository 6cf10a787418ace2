// The disk spool of a sink: frames, durability counters, segment deletion, the byte bound, recovery
// of an earlier sink's records and corruption, with an in-memory transport (no network).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { decodeFrames, encodeFrames } from "../../runtime/reliability/spool/spool-frame.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { SinkOptions } from "../../runtime/reliability/sink/options.js";
import type { SpoolOptions } from "../../runtime/reliability/spool/spool-options.js";
import { TelemetryConfigError } from "../../runtime/errors/telemetry-config-error.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { deliveredSeqs, encodeSeqs, scratchSpoolDir, seqSpoolSink } from "../helpers/seq-spool-sink.js";
import { ok, retryable, ScriptedTransport } from "../helpers/scripted-transport.js";
import type { SeqRecord } from "../helpers/seq-records.js";
import { deserializeSeq, segmentFiles, serializeSeq, spooledSeqs } from "../helpers/spool-codec.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

const scratch = (): string => scratchSpoolDir(cleanups, "spool-test-");

function spoolSink(transport: ScriptedTransport, spool: SpoolOptions, options: Partial<SinkOptions<SeqRecord>> = {}): Sink<SeqRecord> {
  return seqSpoolSink(cleanups, transport, spool, { breaker: { failureThreshold: 1000 }, ...options });
}

/** Inverts the bits of one byte. */
const flip = (bytes: Buffer, at: number): void => void bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);

describe("frames", () => {
  it("round-trip payloads through encodeFrames and decodeFrames", () => {
    const payloads = [new Uint8Array([1, 2, 3]), new Uint8Array(0), Buffer.from("hello")];
    const decoded = decodeFrames(encodeFrames(payloads));
    expect(decoded.corrupt).toBe(0);
    expect(decoded.payloads.map((p) => [...p])).toEqual(payloads.map((p) => [...p]));
  });

  it("skip a bad CRC and a truncated last frame, counting each, and keep the frames around them", () => {
    const bytes = encodeFrames([0, 1, 2, 3, 4].map((i) => Buffer.from(`record-${i}`)));
    const frame = 12 + "record-0".length;
    flip(bytes, frame + 12 + 2); // a payload byte of frame 1: its CRC no longer matches
    const truncated = bytes.subarray(0, bytes.length - 3); // frame 4 cut short, as by a crash mid-write
    const decoded = decodeFrames(truncated);
    expect(decoded.payloads.map((p) => Buffer.from(p).toString())).toEqual(["record-0", "record-2", "record-3"]);
    expect(decoded.corrupt).toBe(2);
  });

  it("count a file of garbage as one corrupt region", () => {
    expect(decodeFrames(Buffer.from("not a spool segment at all"))).toEqual({ payloads: [], corrupt: 1 });
  });
});

describe("a sink with a disk spool", () => {
  it("does no I/O in enqueue: records are written in the next turn and counted written, then synced with fsync always", async () => {
    const dir = scratch();
    const sink = spoolSink(new ScriptedTransport(), { dir, maxBytes: 1 << 20, fsync: "always" });
    for (let seq = 0; seq < 100; seq++) sink.enqueue({ seq, msg: "m" }, 40);
    expect(sink.health().spool).toMatchObject({ pending: 100, written: 0, synced: 0, segments: 0 });
    await until(() => sink.health().spool?.synced === 100, 5000);
    expect(sink.health().spool).toMatchObject({ pending: 0, written: 100, synced: 100, segments: 1, ioErrors: 0 });
    expect(spooledSeqs(dir)).toEqual({ seqs: Array.from({ length: 100 }, (_, i) => i), corrupt: 0 });
  });

  it("syncs with fsync batch once syncEveryRecords records are unsynced, and never with fsync never", async () => {
    const batchDir = scratch();
    const batched = spoolSink(new ScriptedTransport(), { dir: batchDir, maxBytes: 1 << 20, fsync: "batch", syncEveryRecords: 10, syncIntervalMs: 60_000 });
    for (let seq = 0; seq < 25; seq++) batched.enqueue({ seq, msg: "m" }, 40);
    // One group of 25 ≥ 10 unsynced: synced at once, not after the 60 s interval.
    await until(() => batched.health().spool?.synced === 25, 5000);
    const neverDir = scratch();
    const never = spoolSink(new ScriptedTransport(), { dir: neverDir, maxBytes: 1 << 20, fsync: "never" });
    for (let seq = 0; seq < 25; seq++) never.enqueue({ seq, msg: "m" }, 40);
    await until(() => never.health().spool?.written === 25, 5000);
    expect(never.health().spool?.synced).toBe(0);
  });

  it("deletes each segment once every record in it was delivered, and leaves an empty directory after shutdown", async () => {
    const dir = scratch();
    const transport = new ScriptedTransport();
    transport.auto = () => ok;
    const sink = spoolSink(transport, { dir, maxBytes: 1 << 20, segmentBytes: 1024 });
    for (let seq = 0; seq < 1000; seq++) {
      sink.enqueue({ seq, msg: "m" }, 40);
      if (seq % 50 === 49) await until(() => sink.health().spool?.written === seq + 1, 5000); // one group (≈ 1.3 KiB), one segment
    }
    expect((await sink.flush(5000)).status).toBe("complete");
    await until(() => sink.health().spool?.written === 1000, 5000);
    const h = sink.health();
    expect(h.spool?.deletedSegments).toBeGreaterThanOrEqual(19);
    expect(h.spool?.segments).toBeLessThanOrEqual(2);
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
    expect(deliveredSeqs(transport)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("drops records past maxBytes as queue_full, counted, while the receiver is down", async () => {
    const dir = scratch();
    const transport = new ScriptedTransport();
    transport.auto = () => retryable();
    const sink = spoolSink(transport, { dir, maxBytes: 1024 });
    for (let seq = 0; seq < 20; seq++) sink.enqueue({ seq, msg: "m" }, 100); // 112 bytes each with the frame header
    const h = sink.health();
    expect(h.emitted).toBe(20);
    expect(h.dropped.queue_full).toBe(11);
    expect(h.queued + h.inFlight).toBe(9);
    expect(h.spool?.bytes).toBeLessThanOrEqual(1024);
    expect(deliveryIdentityHolds(h)).toBe(true);
  });

  it("keeps records dropped at shutdown on disk, and the next sink resends them before new records", async () => {
    const dir = scratch();
    const down = new ScriptedTransport();
    down.auto = () => retryable();
    const first = spoolSink(down, { dir, maxBytes: 1 << 20, segmentBytes: 512 });
    for (let seq = 0; seq < 120; seq++) first.enqueue({ seq, msg: "m" }, 40);
    const report = await first.shutdown(50);
    expect(report.droppedAtShutdown).toBe(120);
    expect(spooledSeqs(dir).seqs).toEqual(Array.from({ length: 120 }, (_, i) => i));

    const up = new ScriptedTransport();
    up.auto = () => ok;
    const second = spoolSink(up, { dir, maxBytes: 1 << 20, segmentBytes: 512 });
    for (let seq = 120; seq < 150; seq++) second.enqueue({ seq, msg: "m" }, 40);
    expect((await second.flush(5000)).status).toBe("complete");
    expect(deliveredSeqs(up)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    const h = second.health();
    expect(h).toMatchObject({ emitted: 150, delivered: 150, droppedTotal: 0, queued: 0, inFlight: 0, resent: 120 });
    expect(h.spool).toMatchObject({ recovered: 120, recoverableSegments: 0, corrupt: 0 });
    await second.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });

  it("recovers the intact records of a damaged segment, counting the bad frames as corrupt, and never throws", async () => {
    const dir = scratch();
    mkdirSync(dir, { recursive: true });
    const bytes = encodeFrames([0, 1, 2, 3, 4].map((seq) => serializeSeq({ seq, msg: "old" })));
    const frameBytes = bytes.length / 5;
    flip(bytes, frameBytes * 2 + 20); // frame 2: bad CRC
    writeFileSync(path.join(dir, "segment-000000000001.spool"), bytes.subarray(0, bytes.length - 5)); // frame 4 truncated
    writeFileSync(path.join(dir, "segment-000000000002.spool"), encodeFrames([Buffer.from("{not json")])); // undecodable
    const transport = new ScriptedTransport();
    transport.auto = () => ok;
    const sink = spoolSink(transport, { dir, maxBytes: 1 << 20 });
    expect((await sink.flush(5000)).status).toBe("complete");
    expect(deliveredSeqs(transport)).toEqual([0, 1, 3]);
    const h = sink.health();
    expect(h.spool).toMatchObject({ recovered: 3, corrupt: 3, deletedSegments: 2 });
    expect(h).toMatchObject({ emitted: 3, delivered: 3, internalErrors: 0 });
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });

  it("counts partial_success rejections inside an ok as dropped rejected and the rest as delivered", async () => {
    const dir = scratch();
    const transport = new ScriptedTransport();
    transport.auto = () => ({ status: "ok", partialSuccess: { rejected: 3, errorMessage: "too old" } });
    const diagnostics: string[] = [];
    const sink = spoolSink(transport, { dir, maxBytes: 1 << 20 }, { maxBatchRecords: 10, onDiagnostic: (m) => diagnostics.push(m) });
    for (let seq = 0; seq < 10; seq++) sink.enqueue({ seq, msg: "m" }, 40);
    expect((await sink.flush(5000)).status).toBe("complete");
    const h = sink.health();
    expect(h).toMatchObject({ emitted: 10, delivered: 7, droppedTotal: 3, dropped: { rejected: 3 }, resent: 0 });
    expect(h.lastError).toMatchObject({ code: "rejected" });
    expect(diagnostics.join("\n")).toContain("rejected 3 of 10 records (partial success): too old");
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]); // rejected records are settled: not kept for a resend
  });

  it("refuses a spool without serialize/deserialize, and a directory it cannot create, with config_invalid", () => {
    const transport = new ScriptedTransport();
    const base = { transport, encode: encodeSeqs };
    expect(() => createSink<SeqRecord>({ ...base, spool: { dir: scratch(), maxBytes: 1 << 20 } })).toThrow(/serialize.*required with spool/s);
    const notADirectory = path.join(path.dirname(scratch()), "a-file");
    writeFileSync(notADirectory, "");
    let error: unknown;
    try {
      createSink<SeqRecord>({
        ...base,
        serialize: serializeSeq,
        deserialize: deserializeSeq,
        spool: { dir: path.join(notADirectory, "spool"), maxBytes: 1 << 20 },
      });
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TelemetryConfigError);
    expect(String((error as Error).message)).toContain("spool.dir");
    expect(() =>
      createSink<SeqRecord>({ ...base, serialize: serializeSeq, deserialize: deserializeSeq, spool: { dir: "x", maxBytes: 10, fsync: "sometimes" as never } }),
    ).toThrow(/maxBytes.*fsync/s);
  });
});
