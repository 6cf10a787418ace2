import { describe, expect, it } from "vitest";
import type { ReceivedRecord } from "../../runtime/collector/collector-records.js";
import { estimatedBytes, RecentRecords, type RecentRing } from "../../runtime/collector/recent-records.js";

const record = (seq: number, message: string): ReceivedRecord => ({
  seq,
  signal: "logs",
  source: "http",
  receivedAtMs: 0,
  service: "s",
  record: { message },
  violations: [],
});

describe("RecentRecords", () => {
  it("keeps perRing per ring and forgets the oldest over maxBytes across rings, counting those", () => {
    const size = estimatedBytes(record(1, "x".repeat(1000)));
    const recent = new RecentRecords(3, size * 4);
    const a: RecentRing = [];
    const b: RecentRing = [];
    for (let i = 1; i <= 5; i++) recent.add(a, record(i, "x".repeat(1000)));
    expect(RecentRecords.records(a).map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(recent.stats()).toMatchObject({ records: 3, droppedOverBytes: 0 });
    recent.add(b, record(6, "x".repeat(1000)));
    recent.add(b, record(7, "x".repeat(1000)));
    expect([RecentRecords.records(a).map((r) => r.seq), RecentRecords.records(b).map((r) => r.seq)]).toEqual([
      [4, 5],
      [6, 7],
    ]);
    expect(recent.stats()).toEqual({ records: 4, bytes: size * 4, maxBytes: size * 4, droppedOverBytes: 1 });
  });

  it("stays O(kept) over many small records (forgotten entries compacted away)", () => {
    const recent = new RecentRecords(2, 1024 * 1024);
    const ring: RecentRing = [];
    for (let i = 0; i < 100_000; i++) recent.add(ring, record(i, "m"));
    expect(RecentRecords.records(ring).map((r) => r.seq)).toEqual([99_998, 99_999]);
    expect(recent.stats().records).toBe(2);
  });

  it("estimates strings, nested objects and arrays by their contents", () => {
    expect(estimatedBytes("x".repeat(1000))).toBeGreaterThanOrEqual(1000);
    expect(estimatedBytes({ a: ["x".repeat(500), { b: "y".repeat(500) }] })).toBeGreaterThan(1000);
  });
});
