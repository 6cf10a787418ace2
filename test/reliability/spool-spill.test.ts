// The disk spool as the memory queue's overflow: records that do not fit the memory queue are
// spilled to disk and read back in order, exactly once, with exact accounting (in-memory transport).
import { readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { SinkOptions } from "../../runtime/reliability/sink/options.js";
import type { Sink } from "../../runtime/reliability/sink/sink.js";
import type { SpoolOptions } from "../../runtime/reliability/spool/spool-options.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { deliveredSeqs, type SeqBatch, scratchSpoolDir, seqSpoolSink } from "../helpers/seq-spool-sink.js";
import { ok, retryable, ScriptedTransport } from "../helpers/scripted-transport.js";
import type { SeqRecord } from "../helpers/seq-records.js";
import { segmentFiles, serializeSeq } from "../helpers/spool-codec.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

const scratch = (): string => scratchSpoolDir(cleanups, "spill-test-");

function spillSink(transport: ScriptedTransport, spool: SpoolOptions, options: Partial<SinkOptions<SeqRecord>> = {}): Sink<SeqRecord> {
  return seqSpoolSink(cleanups, transport, spool, { maxQueueBytes: 10_000, breaker: { failureThreshold: 1_000_000 }, ...options });
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

/** A receiver that is down until `up()`, recording the seqs it acknowledged. */
function downThenUp(): { transport: ScriptedTransport; acked: number[]; up: () => void } {
  const transport = new ScriptedTransport();
  const acked: number[] = [];
  let down = true;
  transport.auto = (batch) => {
    if (down) return retryable();
    acked.push(...(batch as unknown as SeqBatch).seqs);
    return ok;
  };
  return { transport, acked, up: () => void (down = false) };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Makes every FileHandle write in this test file fail with ENOSPC while `full` is set (restored after the test). */
async function diskFullSwitch(dir: string): Promise<{ full: boolean }> {
  const probe = await open(path.join(path.dirname(dir), "probe"), "w");
  const proto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
  await probe.close();
  const original = proto.write;
  const state = { full: false };
  proto.write = function (this: unknown, ...args: unknown[]) {
    if (state.full) return Promise.reject(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
    return original.apply(this, args);
  };
  cleanups.push(async () => void (proto.write = original));
  return state;
}

describe("spilled records across a restart", () => {
  it("stay on disk when the sink shuts down before reading them back, and the next sink sends them first, in order", async () => {
    const dir = scratch();
    const first = downThenUp();
    const before = spillSink(first.transport, { dir, maxBytes: 8 << 20 });
    for (let seq = 0; seq < 2000; seq++) before.enqueue({ seq, msg: `record ${seq}` }, 100);
    expect(before.health().spool?.spilled).toBe(1900);
    const report = await before.shutdown(50);
    expect(report.droppedAtShutdown).toBe(2000);
    expect(report.health).toMatchObject({ emitted: 2000, dropped: { shutdown: 2000 }, queued: 0, inFlight: 0 });

    const second = downThenUp();
    second.up();
    const after = spillSink(second.transport, { dir, maxBytes: 8 << 20 });
    for (let seq = 2000; seq < 2100; seq++) after.enqueue({ seq, msg: `record ${seq}` }, 100);
    expect((await after.flush(10_000)).status).toBe("complete");
    expect(second.acked).toEqual(range(0, 2100));
    expect(after.health()).toMatchObject({ emitted: 2100, delivered: 2100, droppedTotal: 0, spool: { recovered: 2000, corrupt: 0 } });
  });
});

describe("a spilled record that cannot be read back", () => {
  it("is dropped as spool_error with the rest of its run, counted; the others arrive in order and the segments are deleted", async () => {
    const dir = scratch();
    const { transport, acked, up } = downThenUp();
    const sink = spillSink(transport, { dir, maxBytes: 8 << 20 });
    for (let seq = 0; seq < 2000; seq++) {
      sink.enqueue({ seq, msg: `record ${seq}` }, 100);
      if (seq % 500 === 499) await until(() => sink.health().spool?.pending === 0 && sink.health().spool?.written === seq + 1, 5000);
    }
    const [segment] = segmentFiles(dir);
    const file = path.join(dir, segment as string);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 200) ^ 0xff, bytes.length - 200); // a payload byte near the end
    writeFileSync(file, bytes);
    up();
    expect((await sink.flush(10_000)).status).toBe("complete");
    const h = sink.health();
    expect(h.dropped.spool_error).toBeGreaterThan(0);
    expect(h).toMatchObject({ emitted: 2000, delivered: 2000 - h.dropped.spool_error, queued: 0, inFlight: 0 });
    expect(acked).toHaveLength(2000 - h.dropped.spool_error);
    expect(acked.every((seq, i) => i === 0 || seq > (acked[i - 1] as number))).toBe(true);
    expect(acked.slice(0, 1500)).toEqual(range(0, 1500));
    expect(h.spool?.corrupt).toBe(1);
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });
});

describe("a spilling sink when the disk is full", () => {
  it("drops records past spool.maxBytes as queue_full, counted, and accepts again once delivered segments are deleted", async () => {
    const dir = scratch();
    const { transport, acked, up } = downThenUp();
    const diagnostics: string[] = [];
    const sink = spillSink(transport, { dir, maxBytes: 64 * 1024, segmentBytes: 4096 }, { onDiagnostic: (m) => diagnostics.push(m) });
    for (let seq = 0; seq < 3000; seq++) {
      sink.enqueue({ seq, msg: `record ${seq}` }, 100);
      if (seq % 100 === 99) await turn();
    }
    const full = sink.health();
    expect(full.dropped.queue_full).toBeGreaterThan(1000);
    expect(full.spool?.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(deliveryIdentityHolds(full)).toBe(true);
    expect(diagnostics.join("\n")).toContain("spool is full (spool.maxBytes 65536");
    const accepted = full.emitted - full.droppedTotal;

    up();
    expect((await sink.flush(10_000)).status).toBe("complete");
    expect(acked).toEqual([...new Set(acked)]);
    expect(acked).toHaveLength(accepted);
    await until(() => (sink.health().spool?.bytes ?? 0) <= 8192, 5000); // delivered segments deleted (once closed and synced)
    for (let seq = 3000; seq < 3500; seq++) sink.enqueue({ seq, msg: `record ${seq}` }, 100); // room again
    expect((await sink.flush(10_000)).status).toBe("complete");
    const h = sink.health();
    expect(h.dropped.queue_full).toBe(full.dropped.queue_full);
    expect(h).toMatchObject({ emitted: 3500, delivered: accepted + 500, queued: 0, inFlight: 0 });
    expect(acked.slice(-500)).toEqual(range(3000, 3500));
  });

  it("drops spilled records whose write fails with ENOSPC as spool_error, counted, and spills again once space returns", async () => {
    const dir = scratch();
    const disk = await diskFullSwitch(dir);
    const { transport, acked, up } = downThenUp();
    const diagnostics: string[] = [];
    const sink = spillSink(transport, { dir, maxBytes: 8 << 20 }, { onDiagnostic: (m) => diagnostics.push(m) });
    const log = async (from: number, to: number): Promise<void> => {
      for (let seq = from; seq < to; seq++) {
        sink.enqueue({ seq, msg: `record ${seq}` }, 100);
        if (seq % 100 === 99) await turn();
      }
      await until(() => sink.health().spool?.pending === 0, 5000);
    };
    await log(0, 1000); // 100 in memory, 900 spilled
    disk.full = true;
    await log(1000, 2000); // spilled, but no write lands
    await until(() => sink.health().dropped.spool_error >= 1000, 5000);
    const during = sink.health();
    expect(during.dropped.spool_error).toBe(1000);
    expect(during.spool?.ioErrors).toBeGreaterThan(0);
    expect(deliveryIdentityHolds(during)).toBe(true);
    expect(diagnostics.join("\n")).toMatch(/disk is full \(ENOSPC\).*spool_error/);
    disk.full = false;
    await log(2000, 3000); // space is back
    up();
    expect((await sink.flush(10_000)).status).toBe("complete");
    expect(acked).toEqual([...range(0, 1000), ...range(2000, 3000)]);
    const h = sink.health();
    expect(h).toMatchObject({ emitted: 3000, delivered: 2000, droppedTotal: 1000, dropped: { spool_error: 1000 }, queued: 0, inFlight: 0 });
    expect(h.spool?.spilled).toBe(0);
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });

  it("drops a spilled record its serializer throws on as spool_error, and keeps the others in order", async () => {
    const dir = scratch();
    const { transport, acked, up } = downThenUp();
    const sink = spillSink(
      transport,
      { dir, maxBytes: 8 << 20 },
      {
        serialize: (record) => {
          if (record.seq % 10 === 7) throw new Error("cannot serialize");
          return serializeSeq(record);
        },
      },
    );
    for (let seq = 0; seq < 1000; seq++) sink.enqueue({ seq, msg: "m" }, 100);
    const h0 = sink.health();
    expect(h0.dropped.spool_error).toBe(90); // the 900 spilled ones; the 100 in memory stay there
    expect(h0.spool?.serializeErrors).toBe(90);
    up();
    expect((await sink.flush(10_000)).status).toBe("complete");
    expect(acked).toEqual(range(0, 1000).filter((seq) => seq < 100 || seq % 10 !== 7));
    expect(deliveryIdentityHolds(sink.health())).toBe(true);
  });
});
