// Fault injection: a forward receiver with ack killed and restarted 10 times during 100k records,
// through the sink and the forward transport: nothing is lost, every duplicate comes from a counted resend.
import { describe, expect, it } from "vitest";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { freePorts } from "../helpers/daemons.js";
import { createRestartableForwardReceiver } from "../helpers/restartable-forward-receiver.js";
import { identityText, runRestartDrill } from "../helpers/restart-drill.js";
import { encodeSeqRecords, receivedSeqs, type SeqRecord } from "../helpers/seq-records.js";

const cleanups = cleanupsAfterEach();

function forwardSink(port: number): Sink<SeqRecord> {
  const sink = createSink<SeqRecord>({
    transport: createForwardTransport({ host: "127.0.0.1", port, ackTimeoutMs: 3000, connectTimeoutMs: 1000 }),
    encode: encodeSeqRecords("app.faults"),
    maxBatchRecords: 500,
    flushIntervalMs: 10,
    backoff: { initialDelayMs: 10, maxDelayMs: 200 },
    breaker: { failureThreshold: 5, cooldownMs: 100, maxCooldownMs: 400 },
  });
  cleanups.push(() => sink.shutdown(500));
  return sink;
}

describe("a forward sink while its receiver is killed and restarted", () => {
  it("delivers all of 100k records at least once through 10 receiver kills, duplicates covered by counted resends", { timeout: 40_000 }, async () => {
    const [port] = await freePorts(1);
    const receiver = createRestartableForwardReceiver(port ?? 0);
    cleanups.push(() => receiver.stop());
    await receiver.start();
    const sink = forwardSink(receiver.port);
    const total = 100_000;
    await runRestartDrill({
      sink,
      total,
      kills: 10,
      // Even kills crash on the next frame after reading it, before acking it (that batch arrives
      // twice); odd kills stop the receiver between two acks (every connection destroyed).
      kill: (phase) => (phase % 2 === 0 ? receiver.crashOnFrame(1) : receiver.stop()),
      start: () => receiver.start(),
    });
    const report = await sink.flush(20_000);
    expect(report.status, identityText(report.health)).toBe("complete");

    const seqs = receivedSeqs(receiver.frames);
    const unique = new Set(seqs);
    expect(unique.size).toBe(total);
    expect(Math.min(...unique)).toBe(0);
    expect(Math.max(...unique)).toBe(total - 1);
    const h = sink.health();
    expect(h).toMatchObject({ emitted: total, delivered: total, droppedTotal: 0, queued: 0, inFlight: 0, internalErrors: 0 });
    const duplicates = seqs.length - unique.size;
    expect(duplicates).toBeGreaterThanOrEqual(5); // each of the 5 crashes read a batch it never acked
    expect(duplicates).toBeLessThanOrEqual(h.resent);
    expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
    expect(receiver.connections).toBeGreaterThanOrEqual(11);
  });
});
