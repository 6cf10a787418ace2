/**
 * Issue 13: the collector keeps the recent records of each service (50 per signal, 500 services) for
 * its status API and page, whatever their size, so 1 MB records from many services grew its memory
 * without bound. They are now bounded by `recentBytes` (estimated), the oldest forgotten first,
 * counted in `recentStore.droppedOverBytes`. The collector runs in this process: its heap is measured.
 */
import { describe, expect, it } from "vitest";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startTestCollector } from "../helpers/collector-harness.js";
import { heapMb } from "./support/heap.js";

const cleanups = cleanupsAfterEach();

describe("the collector's recent records", () => {
  it("stay within recentBytes when 100 services each send a 1 MB record, the oldest forgotten first (counted)", async () => {
    const recentBytes = 16 * 1024 * 1024;
    const collector = await startTestCollector(cleanups, { recentBytes });
    const before = heapMb();
    const services = 100;
    for (let i = 0; i < services; i++) {
      // A fresh 1 MB string each time (JSON.parse builds it in the collector).
      const body = JSON.stringify({ message: `${i}`.padEnd(1024 * 1024, "x"), level: "info", "service.name": `svc-${i}`, "service.type": "api" });
      const res = await fetch(`http://127.0.0.1:${collector.ports.http}/big`, { method: "POST", body, headers: { "content-type": "application/json" } });
      expect(res.status).toBe(200);
    }
    const grownMb = heapMb() - before;
    const status = collector.status();
    console.log(
      `${services} × 1 MB records: heap +${grownMb.toFixed(0)} MB; recent store ${status.recentStore.records} records, ` +
        `${(status.recentStore.bytes / 1024 / 1024).toFixed(1)} MB, ${status.recentStore.droppedOverBytes} forgotten over ${recentBytes / 1024 / 1024} MiB`,
    );
    expect(status.counts.total).toBe(services);
    expect(status.recentStore.bytes).toBeLessThanOrEqual(recentBytes);
    expect(status.recentStore.records + status.recentStore.droppedOverBytes).toBe(services);
    expect(status.recent[`svc-${services - 1}`]?.logs).toHaveLength(1);
    expect(status.recent["svc-0"]?.logs ?? []).toHaveLength(0);
    expect(grownMb).toBeLessThan(recentBytes / 1024 / 1024 + 16);
  }, 60_000);
});
