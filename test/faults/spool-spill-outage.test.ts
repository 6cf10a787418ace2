// Issue 13, "the disk buffer spills": a client with an 8 MiB queue bound and a disk spool logs through
// a receiver outage several times its bound (real sockets on 127.0.0.1, the receiver refuses
// connections, then accepts). Every entry arrives exactly once and in order, within 60 s of the
// receiver's recovery, while entries keep arriving; the heap stays within the bound + 16 MB
// throughout. The 200k-entry version is `npm run bench -- spool-outage`.
import { describe, expect, it } from "vitest";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import { runSpillOutage } from "./support/spill-outage-run.js";

const outage = Number(process.env.SPILL_OUTAGE_RECORDS ?? 60_000);
const during = 5_000;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("a client with a disk spool through a receiver outage longer than its memory bound", () => {
  it(`delivers all ${outage} + ${during} entries exactly once, in order, within 60 s of recovery, memory within bound + 16 MB`, {
    timeout: 120_000,
  }, async () => {
    const r = await runSpillOutage(outage, during, true, 110_000);
    const figures = { drainMs: r.drainMs, heap: r.peakHeapGrowthMB, rss: r.peakRssGrowthMB, spilled: r.sink.spool?.spilledTotal, dropped: r.sink.droppedTotal };
    process.stdout.write(`spool-spill-outage: ${JSON.stringify(figures)}\n`);
    expect(r.status).toBe("complete");
    expect(r.logged).toBe(outage + during);
    expect(r.sink.spool?.spilledTotal).toBeGreaterThan(outage / 2); // most of the outage went to disk
    expect(r.seqs).toEqual(range(outage + during)); // every entry once, in order
    expect(r.sink).toMatchObject({ emitted: outage + during, delivered: outage + during, droppedTotal: 0, queued: 0, inFlight: 0 });
    expect(r.sink.spool).toMatchObject({ spilled: 0, corrupt: 0, ioErrors: 0, serializeErrors: 0 });
    expect(deliveryIdentityHolds(r.sink)).toBe(true);
    expect(r.drainMs).toBeLessThan(60_000);
    expect(r.peakHeapGrowthMB).toBeLessThanOrEqual(r.maxQueueBytes / 1e6 + 16);
  });

  it("with a spool too small for the outage: drops the excess as queue_full, counted, delivers the rest in order, and accepts again once space returns", {
    timeout: 120_000,
  }, async () => {
    const after = 1000;
    const total = 40_000 + during + after;
    const r = await runSpillOutage(40_000, during, 4 * 1024 * 1024, 110_000, after);
    const dropped = r.sink.dropped.queue_full;
    process.stdout.write(`spool-spill-outage, 4 MiB spool: ${JSON.stringify({ drainMs: r.drainMs, dropped, spilled: r.sink.spool?.spilledTotal })}\n`);
    expect(r.status).toBe("complete");
    expect(dropped).toBeGreaterThan(0);
    expect(r.sink.droppedTotal).toBe(dropped);
    expect(r.sink).toMatchObject({ emitted: total, delivered: total - dropped, queued: 0, inFlight: 0 });
    expect(deliveryIdentityHolds(r.sink)).toBe(true);
    expect(r.seqs).toHaveLength(total - dropped); // each once
    expect(r.seqs.every((seq, i) => i === 0 || seq > (r.seqs[i - 1] as number))).toBe(true);
    expect(r.seqs.slice(-after)).toEqual(range(total).slice(-after)); // space returned: none of the later ones dropped
  });
});
