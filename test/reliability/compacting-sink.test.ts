// The forward sink as the client builds it: entries compacted while the sink holds records back
// (receiver down), delivered once it is back, decoded by @msgpack/msgpack (an independent decoder)
// into the records the entries' own encoder writes; exact accounting throughout.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { compactForwardEntryBytes, createFluentCompactLog, type ForwardQueued, type WrittenForwardEntry } from "../../runtime/encoding/fluent-compact-log.js";
import { createFluentLogEncoder } from "../../runtime/encoding/fluent-log-encoder.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import { CompactingSink } from "../../runtime/reliability/sink/compacting-sink.js";
import { createSink } from "../../runtime/reliability/sink/sink.js";
import { createForwardTransport } from "../../runtime/transports/forward/forward-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { freePorts } from "../helpers/daemons.js";
import { decodeFrame } from "../helpers/forward-receiver.js";
import { createRestartableForwardReceiver } from "../helpers/restartable-forward-receiver.js";

const cleanups = cleanupsAfterEach();
const service = c.buildServiceMetadata({ name: "api-server", type: c.ServiceType.API, environment: "test", instanceId: "i-1" });
const entry = (i: number): c.StandardLogEntry =>
  c.buildStandardLogEntry({
    timeUnixNano: 1764314558_000000000n + BigInt(i),
    level: c.LogLevel.INFO,
    message: `entry ${i}`,
    service,
    data: c.mapValueFromPlain({ seq: i, "emp.job.id": `job-${i}`, d: i / 3 }).fields,
  });

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(10);
  }
}

describe("CompactingSink on the forward sink", () => {
  it("keeps entries compact while the receiver is down, then delivers every one as its own record", async () => {
    const [port] = await freePorts(1);
    const receiver = createRestartableForwardReceiver(port ?? 0);
    cleanups.push(() => receiver.stop());
    const log = createFluentCompactLog("app.api");
    const transport = createForwardTransport({ host: "127.0.0.1", port: port ?? 0, ackTimeoutMs: 2000, connectTimeoutMs: 500 });
    const inner = createSink<ForwardQueued>({
      transport,
      encode: log.encode,
      maxBatchRecords: 50,
      flushIntervalMs: 5,
      backoff: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    const sink = new CompactingSink<c.StandardLogEntry, WrittenForwardEntry>(inner, log.compact, log.bytesOf);
    cleanups.push(() => sink.shutdown(500));
    const entries = Array.from({ length: 300 }, (_, i) => entry(i));
    for (const e of entries.slice(0, 10)) sink.enqueue(e, 5000); // receiver down: the first send fails
    await until(() => sink.holding);
    const before = sink.health().queuedBytes;
    for (const e of entries.slice(10)) sink.enqueue(e, 5000);
    const held = sink.health();
    expect(held.queued + held.inFlight).toBe(300);
    const compactBytes = entries.slice(10).reduce((sum, e) => sum + compactForwardEntryBytes(log.compact(e)), 0);
    expect(held.queuedBytes - before).toBe(compactBytes); // the compact estimates replace the caller's
    expect(compactBytes).toBeLessThan(290 * 400);
    await receiver.start();
    const report = await sink.flush(5000);
    expect(report.status).toBe("complete");
    const health = sink.health();
    expect(health).toMatchObject({ emitted: 300, delivered: 300, droppedTotal: 0 });
    expect(deliveryIdentityHolds(health)).toBe(true);
    const got = receiver.frames.flatMap((f) => f.entries.map(([, record]) => record));
    const expected = decodeFrame(["app.api", createFluentLogEncoder("app.api")(entries).body]).entries.map(([, record]) => record);
    expect(got).toEqual(expected);
  });

  it("stops compacting once the queue is full: the drops cost no encoding, and are counted", async () => {
    const log = createFluentCompactLog("t");
    const [port] = await freePorts(1);
    const transport = createForwardTransport({ host: "127.0.0.1", port: port ?? 0, connectTimeoutMs: 500 });
    const inner = createSink<ForwardQueued>({ transport, encode: log.encode, maxQueueBytes: 20_000, backoff: { initialDelayMs: 5000, maxDelayMs: 5000 } });
    let compacted = 0;
    const counted = (e: c.StandardLogEntry) => {
      compacted++;
      return log.compact(e);
    };
    const sink = new CompactingSink<c.StandardLogEntry, WrittenForwardEntry>(inner, counted, log.bytesOf);
    cleanups.push(() => sink.shutdown(200));
    sink.enqueue(entry(0), 300);
    await until(() => sink.holding);
    for (let i = 1; i < 500; i++) sink.enqueue(entry(i), 300);
    const h = sink.health();
    expect(h.dropped.queue_full).toBeGreaterThan(350);
    expect(compacted).toBeLessThan(500 - h.dropped.queue_full + 5); // only while there was room
    expect(h.emitted).toBe(500);
    expect(deliveryIdentityHolds(h)).toBe(true);
  });

  it("passes entries through as they are while the sink sends, and counts an entry it cannot compact as encode_error", async () => {
    const log = createFluentCompactLog("t");
    const seen: ForwardQueued[] = [];
    let holding = false;
    const inner = {
      name: "fake",
      target: "forward",
      get holding() {
        return holding;
      },
      enqueue: (r: ForwardQueued) => seen.push(r),
      countDropped: (reason: string) => seen.push(`dropped ${reason}`),
    } as unknown as ConstructorParameters<typeof CompactingSink<c.StandardLogEntry, string>>[0];
    const sink = new CompactingSink<c.StandardLogEntry, WrittenForwardEntry>(inner, log.compact, log.bytesOf);
    sink.enqueue(entry(1), 100);
    holding = true;
    sink.enqueue(entry(2), 100);
    sink.enqueue(c.buildStandardLogEntry({ timeUnixNano: 2n ** 63n, level: c.LogLevel.INFO, message: "late" }), 100);
    expect(typeof seen[0]).toBe("object");
    expect(typeof seen[1]).toBe("string");
    expect(seen[2]).toBe("dropped encode_error");
  });
});
