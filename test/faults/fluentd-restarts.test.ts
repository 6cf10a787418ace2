// Fault injection against the REAL Fluentd 1.18: `kill -9` of its process group 10 times while 100k
// records stream through the sink with ack, Fluentd restarted on the same port each time. Fluentd
// writes each record (unbuffered out_stdout) before it acks, so every sequence number must be in its
// output at least once; Fluentd does not deduplicate, so duplicates = written − unique, all of which
// must come from resends our counters report.
import { describe, expect, it } from "vitest";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { freePorts } from "../helpers/daemons.js";
import { createKillableFluentd } from "../helpers/killable-fluentd.js";
import { identityText, runRestartDrill, waitFor } from "../helpers/restart-drill.js";
import { encodeSeqRecords, type SeqRecord } from "../helpers/seq-records.js";

const cleanups = cleanupsAfterEach();

function forwardSink(port: number): Sink<SeqRecord> {
  const sink = createSink<SeqRecord>({
    transport: createForwardTransport({ host: "127.0.0.1", port, ackTimeoutMs: 5000, connectTimeoutMs: 1000 }),
    encode: encodeSeqRecords("app.faults"),
    maxBatchRecords: 500,
    flushIntervalMs: 10,
    backoff: { initialDelayMs: 10, maxDelayMs: 200 },
    breaker: { failureThreshold: 5, cooldownMs: 100, maxCooldownMs: 400 },
  });
  cleanups.push(() => sink.shutdown(500));
  return sink;
}

describe("a forward sink while the real Fluentd is killed (-9) and restarted", () => {
  it("gets every one of 100k records written by Fluentd at least once through 10 kills, duplicates covered by counted resends", {
    timeout: 60_000,
  }, async () => {
    const [port] = await freePorts(1);
    const fluentd = createKillableFluentd(port ?? 0);
    cleanups.push(() => fluentd.stop());
    await fluentd.start();
    const sink = forwardSink(port ?? 0);
    const total = 100_000;
    await runRestartDrill({ sink, total, kills: 10, kill: () => fluentd.kill(), start: () => fluentd.start() });
    const report = await sink.flush(20_000);
    expect(report.status, identityText(report.health)).toBe("complete");
    // Acked means written (unbuffered output), so the file is complete now; the wait only covers the page cache read.
    await waitFor(
      () => new Set(fluentd.seqs()).size >= total,
      () => `${new Set(fluentd.seqs()).size} unique written`,
      10_000,
    );

    const seqs = fluentd.seqs();
    const unique = new Set(seqs);
    expect(unique.size).toBe(total);
    expect(Math.min(...unique)).toBe(0);
    expect(Math.max(...unique)).toBe(total - 1);
    const h = sink.health();
    expect(h).toMatchObject({ emitted: total, delivered: total, droppedTotal: 0, queued: 0, inFlight: 0, internalErrors: 0 });
    const duplicates = seqs.length - unique.size;
    expect(duplicates, identityText(h)).toBeLessThanOrEqual(h.resent);
    expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
    expect(fluentd.starts).toBe(11);
  });
});
