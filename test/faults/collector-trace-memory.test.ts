/**
 * Issue 13: besides the recent records, the collector's trace view (100 traces × 500 records) kept a
 * 300-character cut of each log message that was a view of the whole message (V8 sliced strings), and
 * service names of any length keyed its per-service state: 1 MB messages naming traces stayed alive.
 * Both are now flat copies of bounded length. The collector runs in this process: its heap is measured.
 */
import { describe, expect, it } from "vitest";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { startTestCollector } from "../helpers/collector-harness.js";
import { heapMb } from "./support/heap.js";

const cleanups = cleanupsAfterEach();

describe("the collector's other per-record memory", () => {
  it("keeps no 1 MB string alive through the trace view or a long service name", async () => {
    const collector = await startTestCollector(cleanups, { recentBytes: 1024 * 1024 });
    const before = heapMb();
    const records = 60;
    for (let i = 0; i < records; i++) {
      const body = JSON.stringify({
        message: `${i}`.padEnd(1024 * 1024, "m"),
        level: "info",
        "service.name": `svc-${i}-`.padEnd(200 * 1024, "s"),
        trace_id: i.toString(16).padStart(32, "0").replace(/^0/, "a"),
        span_id: "00000000000000a1",
      });
      const res = await fetch(`http://127.0.0.1:${collector.ports.http}/big`, { method: "POST", body, headers: { "content-type": "application/json" } });
      expect(res.status).toBe(200);
    }
    const grownMb = heapMb() - before;
    const status = collector.status();
    console.log(`${records} records of 1 MB with trace ids and 200 KB service names: heap +${grownMb.toFixed(0)} MB (recentBytes 1 MiB)`);
    expect(status.counts.total).toBe(records);
    expect(Object.keys(status.counts.byService).every((name) => name.length <= 260)).toBe(true);
    expect(grownMb).toBeLessThan(16);
  }, 60_000);
});
