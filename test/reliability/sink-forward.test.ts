import { EventEmitter, once } from "node:events";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { BreakerState } from "../../runtime/reliability/circuit-breaker.js";
import type { SinkHealth } from "../../runtime/reliability/sink/reports.js";
import type { SinkOptions } from "../../runtime/reliability/sink/options.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { freePorts } from "../helpers/daemons.js";
import { startForwardReceiver } from "../helpers/forward-receiver.js";
import { createRestartableForwardReceiver, type RestartableForwardReceiver } from "../helpers/restartable-forward-receiver.js";
import { encodeSeqRecords, receivedSeqs, type SeqRecord } from "../helpers/seq-records.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";

const cleanups = cleanupsAfterEach();

function forwardSink(port: number, options: Partial<SinkOptions<SeqRecord>> = {}): Sink<SeqRecord> {
  const transport = createForwardTransport({ host: "127.0.0.1", port, ackTimeoutMs: 2000, connectTimeoutMs: 1000 });
  const sink = createSink<SeqRecord>({
    transport,
    encode: encodeSeqRecords("app.reliability"),
    maxBatchRecords: 250,
    flushIntervalMs: 10,
    backoff: { initialDelayMs: 10, maxDelayMs: 200 },
    breaker: { failureThreshold: 5, cooldownMs: 100, maxCooldownMs: 400 },
    ...options,
  });
  cleanups.push(() => sink.shutdown(500));
  return sink;
}

async function restartableReceiver(options?: { ack?: boolean }): Promise<RestartableForwardReceiver> {
  const [port] = await freePorts(1);
  const receiver = createRestartableForwardReceiver(port ?? 0, options);
  cleanups.push(() => receiver.stop());
  return receiver;
}

/** Polls `condition` every 5 ms until it holds; throws with `describe()` after `timeoutMs`. */
async function waitUntil(condition: () => boolean, describe: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function identity(h: SinkHealth): string {
  return `emitted ${h.emitted} = delivered ${h.delivered} + dropped ${h.droppedTotal} + queued ${h.queued} + inFlight ${h.inFlight}`;
}

/** `global.gc`, exposed at run time when vitest was not started with --expose-gc. */
function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

describe("createSink with the forward transport", () => {
  it("delivers every record at least once while the receiver is killed and restarted five times", { timeout: 30_000 }, async () => {
    const receiver = await restartableReceiver();
    await receiver.start();
    const sink = forwardSink(receiver.port);
    const total = 20_000;
    const phases = 6;
    let seq = 0;
    const produce = async (end: number): Promise<void> => {
      while (seq < end) {
        for (let i = 0; i < 500 && seq < end; i++, seq++) sink.enqueue({ seq, msg: `record ${seq}` }, 64);
        await yieldToLoop();
      }
    };
    for (let phase = 0; phase < phases; phase++) {
      const start = Math.round((total * phase) / phases);
      const end = Math.round((total * (phase + 1)) / phases);
      const kill = phase < phases - 1;
      // Even phases: the receiver crashes on the 3rd frame, after reading it and before acking it
      // (so that batch arrives twice). Odd phases: it is stopped mid-stream, between two acks.
      const crashed = kill && phase % 2 === 0 ? receiver.crashOnFrame(3) : undefined;
      await produce(start + (end - start) / 2);
      let killedAtMs = Date.now();
      if (kill && phase % 2 === 1) {
        await waitUntil(
          () => sink.health().delivered > start + 250,
          () => identity(sink.health()),
        );
        killedAtMs = Date.now();
        await receiver.stop();
      }
      await produce(end);
      if (!kill) break;
      await crashed;
      await waitUntil(
        () => (sink.health().lastError?.timeMs ?? 0) >= killedAtMs,
        () => JSON.stringify(sink.health().lastError),
      );
      await receiver.start();
    }
    const report = await sink.flush(15_000);
    expect(report.status, identity(report.health)).toBe("complete");

    const seqs = receivedSeqs(receiver.frames);
    const unique = new Set(seqs);
    expect(unique.size).toBe(total);
    expect(Math.min(...unique)).toBe(0);
    expect(Math.max(...unique)).toBe(total - 1);
    const h = sink.health();
    const duplicates = seqs.length - total;
    expect(h).toMatchObject({ emitted: total, delivered: total, droppedTotal: 0, queued: 0, inFlight: 0, internalErrors: 0 });
    expect(duplicates).toBeGreaterThanOrEqual(3); // the three crashes each lost an ack
    expect(duplicates).toBeLessThanOrEqual(h.resent); // each duplicate came from a counted resend
    expect(deliveryIdentityHolds(h), identity(h)).toBe(true);
    expect(receiver.connections).toBeGreaterThanOrEqual(6);
  });

  it("counts overflow drops exactly and stays within its byte bound while the receiver is down, then resumes by itself", { timeout: 20_000 }, async () => {
    const maxQueueBytes = 1024 * 1024;
    const bytesPerRecord = 256;
    const receiver = await restartableReceiver();
    const sink = forwardSink(receiver.port, { maxQueueBytes, maxBatchRecords: 500, breaker: { failureThreshold: 3, cooldownMs: 100, maxCooldownMs: 400 } });
    const gc = exposeGc();
    gc();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    const offered = 100_000; // ≈ 25 MiB of records: 25 × the bound
    for (let seq = 0; seq < offered; seq++) {
      // A fresh flat 200-byte string per record, so an unbounded queue would really hold ≈ 25 MiB.
      sink.enqueue({ seq, msg: Buffer.alloc(200, 97 + (seq % 26)).toString("latin1") }, bytesPerRecord);
      if (seq % 10_000 === 0) await yieldToLoop();
    }
    await waitUntil(
      () => sink.health().lastError !== undefined,
      () => identity(sink.health()),
    );
    gc();
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    const down = sink.health();
    expect(down.delivered).toBe(0);
    expect(down.queuedBytes).toBeLessThanOrEqual(maxQueueBytes);
    // The bound covers the queued records and the batches encoded ahead (counted in flight); only
    // the batch being sent, at most 500 records, is outside it.
    const beingSent = down.queued + down.inFlight - down.queuedBytes / bytesPerRecord;
    expect(beingSent).toBeGreaterThanOrEqual(0);
    expect(beingSent).toBeLessThanOrEqual(500);
    expect(Number.isInteger(beingSent)).toBe(true);
    expect(down.dropped.queue_full).toBe(offered - down.queued - down.inFlight);
    expect(down.droppedTotal).toBe(down.dropped.queue_full);
    expect(deliveryIdentityHolds(down), identity(down)).toBe(true);
    // Margin over the bound: V8 object headers beyond the byte estimate, the encoded batch in flight,
    // the ring buffer, socket objects and vitest's own allocations. Unbounded, this would be > 25 MiB.
    expect(heapGrowth).toBeLessThan(maxQueueBytes + 4 * 1024 * 1024);

    await receiver.start();
    await waitUntil(
      () => sink.health().queued + sink.health().inFlight === 0,
      () => identity(sink.health()),
    );
    const up = sink.health();
    expect(up.delivered).toBe(offered - up.dropped.queue_full);
    expect(up.dropped.queue_full).toBe(down.dropped.queue_full);
    expect(new Set(receivedSeqs(receiver.frames)).size).toBe(up.delivered);
    expect(deliveryIdentityHolds(up), identity(up)).toBe(true);
  });

  it("opens the breaker against a receiver that never acks, and does no I/O until the half-open probe", { timeout: 10_000 }, async () => {
    const receiver = await startForwardReceiver({ ack: false });
    cleanups.push(() => receiver.close());
    const seen = new EventEmitter();
    const cooldowns: number[] = [];
    const transport = createForwardTransport({ host: "127.0.0.1", port: receiver.port, ackTimeoutMs: 100 });
    const sink = createSink<SeqRecord>({
      transport,
      encode: encodeSeqRecords("app.reliability"),
      flushIntervalMs: 10,
      backoff: { initialDelayMs: 10, maxDelayMs: 50 },
      breaker: {
        failureThreshold: 3,
        cooldownMs: 300,
        maxCooldownMs: 2000,
        onStateChange: (t) => {
          if (t.to === "open") cooldowns.push(t.cooldownMs);
          seen.emit(t.to, { frames: receiver.frames.length, connections: receiver.connections });
        },
      },
    });
    cleanups.push(() => sink.shutdown(200));
    const state = (to: BreakerState): Promise<unknown[]> => once(seen, to, { signal: AbortSignal.timeout(5000) });

    const opened = state("open");
    for (let seq = 0; seq < 10; seq++) sink.enqueue({ seq, msg: "x" }, 64);
    const [atOpen] = await opened;
    expect(atOpen).toEqual({ frames: 3, connections: 1 }); // the first send and two resends, no ack

    const halfOpen = state("half_open");
    for (let seq = 10; seq < 1010; seq++) sink.enqueue({ seq, msg: "x" }, 64); // buffered, no I/O
    expect(sink.health()).toMatchObject({ breakerState: "open", emitted: 1010, queued: 1000, inFlight: 10, droppedTotal: 0 });
    const [atHalfOpen] = await halfOpen;
    expect(atHalfOpen).toEqual(atOpen); // nothing was written or connected while open

    const [atReopen] = await state("open");
    expect(atReopen).toEqual({ frames: 4, connections: 1 }); // exactly one probe
    expect(cooldowns).toEqual([300, 600]);
    const h = sink.health();
    expect(h).toMatchObject({ breakerState: "open", delivered: 0, resent: 30, lastError: { code: "ack_timeout" } });
    expect(deliveryIdentityHolds(h), identity(h)).toBe(true);
  });
});
