// Fault injection with a seeded PRNG: a transport that randomly acks, fails, asks for a retry, hangs
// or partially rejects, while the test enqueues random bursts, flushes and yields at random. The
// accounting identity must hold after every operation and at every send; at the end, once the
// transport heals, the sink's counters must match what the transport saw. Seeds are fixed, so a
// failure replays exactly.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { SinkHealth } from "../../runtime/reliability/sink/reports.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { tempDir } from "../helpers/daemons.js";
import { RandomFaultTransport } from "../helpers/random-fault-transport.js";
import { identityText } from "../helpers/restart-drill.js";
import { encodeNumbers } from "../helpers/scripted-transport.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";
import { segmentFiles } from "../helpers/spool-codec.js";

const cleanups = cleanupsAfterEach();
const operations = 1500;

function check(h: SinkHealth, where: string): void {
  if (!deliveryIdentityHolds(h) || h.queued < 0 || h.inFlight < 0) throw new Error(`identity broken ${where}: ${identityText(h)}`);
}

async function randomRun(
  seed: number,
  spoolDir?: string,
): Promise<{ sink: Sink<number>; transport: RandomFaultTransport; offered: number; invalid: number; samples: number }> {
  const random = seededRandom(seed);
  const transport = new RandomFaultTransport(random);
  const sink = createSink<number>({
    transport,
    encode: encodeNumbers,
    maxQueueBytes: 64 * 1024,
    maxBatchRecords: 1 + randomInt(random, 200),
    flushIntervalMs: randomInt(random, 5),
    whenBreakerOpen: random() < 0.5 ? "buffer" : "drop",
    backoff: { initialDelayMs: 1, maxDelayMs: 5, random },
    breaker: { failureThreshold: 3, cooldownMs: 5, maxCooldownMs: 20 },
    ...(spoolDir === undefined
      ? {}
      : {
          spool: { dir: spoolDir, maxBytes: 48 * 1024, segmentBytes: 4096, fsync: "never" as const },
          serialize: (n: number) => Buffer.from(String(n)),
          deserialize: (bytes: Uint8Array) => Number(Buffer.from(bytes).toString()),
        }),
  });
  cleanups.push(() => sink.shutdown(100));
  let samples = 0;
  transport.onSend = () => {
    samples++;
    check(sink.health(), `at send ${transport.sends}`);
  };
  let offered = 0;
  let invalid = 0;
  for (let op = 0; op < operations; op++) {
    const roll = random();
    if (roll < 0.45) {
      const burst = 1 + randomInt(random, 300);
      for (let i = 0; i < burst; i++) sink.enqueue(offered++, 1 + randomInt(random, 600));
    } else if (roll < 0.5) {
      const count = 1 + randomInt(random, 3);
      sink.countDropped("invalid", count);
      invalid += count;
    } else if (roll < 0.6) {
      const flushed = sink.flush(randomInt(random, 20));
      if (random() < 0.5) check((await flushed).health, `after flush at op ${op}`);
    } else if (roll < 0.85) {
      await yieldToLoop();
    } else {
      await new Promise((resolve) => setTimeout(resolve, randomInt(random, 4)));
    }
    samples++;
    check(sink.health(), `after op ${op}`);
  }
  return { sink, transport, offered, invalid, samples };
}

/** Warnings Node emitted while this file ran (a send's abort listener left on the sink's long-lived signal shows here). */
const warnings: string[] = [];
const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
beforeAll(() => void process.on("warning", onWarning));
afterAll(() => {
  process.off("warning", onWarning);
  expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
});

describe("a sink under random faults (seeded)", () => {
  for (const seed of [1, 7, 42]) {
    it(`keeps emitted = delivered + dropped + queued + inFlight at every sample and matches the transport's count (seed ${seed})`, {
      timeout: 20_000,
    }, async () => {
      const { sink, transport, offered, invalid, samples } = await randomRun(seed);
      transport.heal();
      const report = await sink.flush(10_000);
      expect(report.status, identityText(report.health)).toBe("complete");
      const h = sink.health();
      expect(samples).toBeGreaterThan(operations);
      expect(h.emitted).toBe(offered + invalid);
      expect(h.dropped.invalid).toBe(invalid);
      expect(h.delivered).toBe(transport.acceptedRecords);
      expect(h.dropped.rejected).toBe(transport.rejectedRecords);
      expect(h.dropped.queue_full + h.dropped.breaker_open).toBeGreaterThan(0); // the bounds were hit
      expect(h).toMatchObject({ queued: 0, inFlight: 0, internalErrors: 0 });
      expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
    });
  }

  it("keeps the identity with the disk spool on, and leaves no segment once everything is settled (seed 99)", { timeout: 20_000 }, async () => {
    const temp = tempDir("spool-random-");
    cleanups.push(async () => temp.remove());
    const dir = path.join(temp.dir, "spool");
    const { sink, transport, offered, invalid } = await randomRun(99, dir);
    transport.heal();
    expect((await sink.flush(10_000)).status).toBe("complete");
    const h = sink.health();
    expect(h.emitted).toBe(offered + invalid);
    expect(h.delivered).toBe(transport.acceptedRecords);
    expect(h.spool).toMatchObject({ ioErrors: 0, serializeErrors: 0, corrupt: 0 });
    await sink.shutdown(1000);
    expect(segmentFiles(dir)).toEqual([]);
  });
});
