import { describe, expect, it } from "vitest";
import { TelemetryError } from "../../runtime/errors/telemetry-error.js";
import { ByteBoundedQueue, byteBoundedQueueDefaults } from "../../runtime/reliability/byte-bounded-queue.js";

describe("ByteBoundedQueue", () => {
  it("defaults to a 32 MiB bound", () => {
    expect(byteBoundedQueueDefaults.maxQueueBytes).toBe(32 * 1024 * 1024);
    expect(new ByteBoundedQueue().maxQueueBytes).toBe(32 * 1024 * 1024);
    expect(Object.isFrozen(byteBoundedQueueDefaults)).toBe(true);
  });

  it("refuses a record whose bytes would exceed the bound, whatever the count", () => {
    const queue = new ByteBoundedQueue<string>({ maxQueueBytes: 100 });
    expect(queue.offer("a", 60)).toBe(true);
    expect(queue.offer("b", 40)).toBe(true);
    expect(queue.offer("c", 1)).toBe(false);
    expect(queue.length).toBe(2);
    expect(queue.bytes).toBe(100);
    const many = new ByteBoundedQueue<number>({ maxQueueBytes: 100 });
    for (let i = 0; i < 10_000; i++) expect(many.offer(i, 0)).toBe(true);
    expect(many.length).toBe(10_000);
  });

  it("makes room again when records are polled", () => {
    const queue = new ByteBoundedQueue<string>({ maxQueueBytes: 100 });
    queue.offer("a", 70);
    expect(queue.offer("b", 70)).toBe(false);
    expect(queue.poll()).toBe("a");
    expect(queue.bytes).toBe(0);
    expect(queue.offer("b", 70)).toBe(true);
  });

  it("counts held bytes toward the bound until they are released", () => {
    const q = new ByteBoundedQueue<number>({ maxQueueBytes: 100 });
    for (let i = 0; i < 10; i++) expect(q.offer(i, 10)).toBe(true);
    for (let i = 0; i < 6; i++) q.poll();
    q.hold(60);
    expect([q.bytes, q.heldBytes]).toEqual([40, 60]);
    expect(q.offer(10, 10)).toBe(false);
    q.release(30);
    expect(q.heldBytes).toBe(30);
    for (let i = 0; i < 3; i++) expect(q.offer(10 + i, 10)).toBe(true);
    expect(q.offer(13, 10)).toBe(false);
    q.release(1000);
    expect(q.heldBytes).toBe(0);
    q.hold(-5);
    expect(q.heldBytes).toBe(0);
  });

  it("answers whether a record of some bytes fits, counting queued and held bytes as offer does", () => {
    const q = new ByteBoundedQueue<number>({ maxQueueBytes: 100 });
    expect(q.offer(1, 50)).toBe(true);
    q.hold(30);
    expect([q.fits(20), q.fits(21), q.fits(-5)]).toEqual([true, false, true]);
    expect(q.offer(2, 21)).toBe(false);
    expect(q.offer(2, 20)).toBe(true);
    expect(q.fits(0)).toBe(true);
    expect(q.fits(1)).toBe(false);
  });

  it("refuses a single record larger than the bound, and counts a negative or NaN estimate as 0", () => {
    const queue = new ByteBoundedQueue<string>({ maxQueueBytes: 10 });
    expect(queue.offer("huge", 11)).toBe(false);
    expect(queue.offer("huge", Number.POSITIVE_INFINITY)).toBe(false);
    expect(queue.offer("neg", -5)).toBe(true);
    expect(queue.offer("nan", Number.NaN)).toBe(true);
    expect(queue.bytes).toBe(0);
  });

  it("keeps FIFO order across wrap-around and growth", () => {
    const queue = new ByteBoundedQueue<number>({ maxQueueBytes: 1_000_000 });
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 37 + round * 3; i++) queue.offer(next++, 1);
      for (let i = 0; i < 30 + round * 2; i++) out.push(queue.poll() as number);
    }
    while (queue.length > 0) {
      expect(queue.peekBytes()).toBe(1);
      out.push(queue.poll() as number);
    }
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(queue.poll()).toBeUndefined();
    expect(queue.peekBytes()).toBe(0);
    expect(queue.bytes).toBe(0);
  });

  it("clears everything and reports how many records it removed", () => {
    const queue = new ByteBoundedQueue<number>({ maxQueueBytes: 100 });
    for (let i = 0; i < 5; i++) queue.offer(i, 10);
    queue.poll();
    expect(queue.clear()).toBe(4);
    expect(queue.length).toBe(0);
    expect(queue.bytes).toBe(0);
    expect(queue.offer(9, 100)).toBe(true);
  });

  it("throws config_invalid for a bound that is not a positive integer", () => {
    expect(() => new ByteBoundedQueue({ maxQueueBytes: 0 })).toThrow(TelemetryError);
    expect(() => new ByteBoundedQueue({ maxQueueBytes: 1.5 })).toThrow(/maxQueueBytes=1.5/);
  });
});
