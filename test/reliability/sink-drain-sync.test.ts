// Sink.drainSync: what a crashing process can still write synchronously (its NDJSON files), taken from the
// queue and counted exactly once: delivered when written, still queued when not; never records in flight.
import { describe, expect, it } from "vitest";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { encodeNumbers, ok, ScriptedTransport } from "../helpers/scripted-transport.js";

function setup(maxBatchRecords = 512): { sink: Sink<number>; transport: ScriptedTransport } {
  const transport = new ScriptedTransport();
  return { sink: createSink<number>({ transport, encode: encodeNumbers, maxBatchRecords, flushIntervalMs: 60_000 }), transport };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("Sink.drainSync", () => {
  it("hands every queued record to write, oldest first, and counts them delivered once", async () => {
    const { sink, transport } = setup();
    for (let i = 0; i < 5; i++) sink.enqueue(i, 10);
    const written: number[][] = [];
    expect(
      sink.drainSync((records) => {
        written.push([...records]);
        return true;
      }),
    ).toBe(5);
    expect(written).toEqual([[0, 1, 2, 3, 4]]);
    expect(sink.drainSync(() => true)).toBe(0);
    sink.enqueue(5, 10); // after it the sink takes nothing more
    await tick();
    const h = sink.health();
    expect({ delivered: h.delivered, queued: h.queued, inFlight: h.inFlight, shutdown: h.dropped.shutdown, queuedBytes: h.queuedBytes }).toEqual({
      delivered: 5,
      queued: 0,
      inFlight: 0,
      shutdown: 1,
      queuedBytes: 0,
    });
    expect(deliveryIdentityHolds(h)).toBe(true);
    expect(transport.sent).toEqual([]);
    expect((await sink.flush(100)).status).toBe("complete");
  });

  it("puts the records back, still queued, when write fails or throws", () => {
    const { sink } = setup();
    for (let i = 0; i < 3; i++) sink.enqueue(i, 10);
    expect(sink.drainSync(() => false)).toBe(0);
    expect(
      sink.drainSync(() => {
        throw new Error("disk full");
      }),
    ).toBe(0);
    const h = sink.health();
    expect([h.delivered, h.queued, h.queuedBytes]).toEqual([0, 3, 30]);
    expect(deliveryIdentityHolds(h)).toBe(true);
    const again: number[] = [];
    sink.drainSync((records) => again.push(...records) > 0);
    expect(again).toEqual([0, 1, 2]);
  });

  it("leaves batches in flight (or encoded ahead) alone: only what is still queued is taken", async () => {
    const { sink, transport } = setup(2);
    for (let i = 0; i < 5; i++) sink.enqueue(i, 10);
    for (let i = 0; i < 5 && transport.pending.length === 0; i++) await tick();
    expect(transport.pending.map((p) => p.batch.records)).toEqual([[0, 1]]);
    const taken: number[] = [];
    const n = sink.drainSync((records) => taken.push(...records) > 0);
    const inFlight = sink.health().inFlight;
    expect(n).toBeGreaterThan(0);
    expect(taken).toEqual([0, 1, 2, 3, 4].slice(5 - n));
    expect([sink.health().delivered, inFlight + n, sink.health().queued]).toEqual([n, 5, 0]);
    expect(deliveryIdentityHolds(sink.health())).toBe(true);
    for (let i = 0; i < 20 && sink.health().inFlight > 0; i++) {
      transport.respond(ok);
      await tick();
    }
    expect(sink.health().delivered).toBe(5);
    expect(deliveryIdentityHolds(sink.health())).toBe(true);
  });
});
