// Fault injection: receivers that take the TCP connection but stall — one reads and never acks, one
// never reads at all. The breaker must open, and the caller's cost must not change: enqueue stays a
// synchronous O(1) call while the receiver is stalled, and records are buffered (or counted as dropped).
import { EventEmitter, once } from "node:events";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { WhenBreakerOpen } from "../../runtime/reliability/sink/options.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startForwardReceiver } from "../helpers/forward-receiver.js";
import { identityText } from "../helpers/restart-drill.js";
import { encodeSeqRecords, type SeqRecord } from "../helpers/seq-records.js";
import { startUnreadReceiver } from "../helpers/unread-receiver.js";

const cleanups = cleanupsAfterEach();
const payload = "x".repeat(1000); // ≈ 1 KiB per record, so batches are large enough to fill socket buffers

function stalledSink(port: number, whenBreakerOpen: WhenBreakerOpen = "buffer"): { sink: Sink<SeqRecord>; opened: Promise<unknown[]> } {
  const events = new EventEmitter();
  const sink = createSink<SeqRecord>({
    transport: createForwardTransport({ host: "127.0.0.1", port, ackTimeoutMs: 200, connectTimeoutMs: 500 }),
    encode: encodeSeqRecords("app.faults"),
    flushIntervalMs: 5,
    maxBatchBytes: 1024 * 1024,
    whenBreakerOpen,
    backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    breaker: { failureThreshold: 3, cooldownMs: 5000, onStateChange: (t) => events.emit(t.to) },
  });
  cleanups.push(() => sink.shutdown(100));
  return { sink, opened: once(events, "open", { signal: AbortSignal.timeout(8000) }) };
}

/** Enqueues records `from..to-1` in ONE synchronous loop; returns the ns per call. */
function enqueueSynchronously(sink: Sink<SeqRecord>, from: number, to: number): number {
  const started = performance.now();
  for (let seq = from; seq < to; seq++) sink.enqueue({ seq, msg: payload }, 1024);
  return ((performance.now() - started) * 1e6) / (to - from);
}

describe("a forward sink against a stalled receiver", () => {
  it("opens the breaker against a receiver that never acks, and 10k enqueues stay synchronous and buffered", { timeout: 15_000 }, async () => {
    const receiver = await startForwardReceiver({ ack: false });
    cleanups.push(() => receiver.close());
    const { sink, opened } = stalledSink(receiver.port);
    const baselineNs = enqueueSynchronously(sink, 0, 2000);
    await opened;
    expect(receiver.frames.length).toBeGreaterThanOrEqual(3); // it read the attempts, acked none
    const stalledNs = enqueueSynchronously(sink, 2000, 12_000);
    const h = sink.health();
    expect(h).toMatchObject({ breakerState: "open", emitted: 12_000, delivered: 0, droppedTotal: 0, lastError: { code: "ack_timeout" } });
    expect(h.queued + h.inFlight).toBe(12_000);
    expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
    // O(1) and no I/O per call: microseconds, not the 200 ms ack timeout (generous bound for loaded CI).
    expect(stalledNs).toBeLessThan(Math.max(20 * baselineNs, 20_000));
  });

  it("opens the breaker against a receiver that never reads, and 10k enqueues stay synchronous and buffered", { timeout: 15_000 }, async () => {
    const receiver = await startUnreadReceiver();
    cleanups.push(() => receiver.close());
    const { sink, opened } = stalledSink(receiver.port);
    const baselineNs = enqueueSynchronously(sink, 0, 2000); // ≈ 2 MiB, written into a socket nobody reads
    await opened;
    const stalledNs = enqueueSynchronously(sink, 2000, 12_000);
    const h = sink.health();
    expect(receiver.bytesRead).toBe(0);
    expect(h).toMatchObject({ breakerState: "open", emitted: 12_000, delivered: 0, droppedTotal: 0 });
    expect(h.queued + h.inFlight).toBe(12_000);
    expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
    expect(stalledNs).toBeLessThan(Math.max(20 * baselineNs, 20_000));
  });

  it("counts records as breaker_open instead while stalled with whenBreakerOpen drop", { timeout: 15_000 }, async () => {
    const receiver = await startUnreadReceiver();
    cleanups.push(() => receiver.close());
    const { sink, opened } = stalledSink(receiver.port, "drop");
    enqueueSynchronously(sink, 0, 2000);
    await opened;
    enqueueSynchronously(sink, 2000, 12_000);
    const h = sink.health();
    expect(h.dropped.breaker_open).toBe(10_000);
    expect(h.queued + h.inFlight).toBe(2000);
    expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
  });
});
