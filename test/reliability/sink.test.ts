import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TelemetryError } from "../../runtime/errors/telemetry-error.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import { sinkDefaults, type SinkOptions } from "../../runtime/reliability/sink/options.js";
import type { BreakerTransition } from "../../runtime/reliability/circuit-breaker.js";
import type { SinkHealth } from "../../runtime/reliability/sink/reports.js";
import { encodeNumbers, failed, ok, retryable, ScriptedTransport } from "../helpers/scripted-transport.js";

beforeEach(() => {
  // setImmediate stays real: the sink wakes its loop with it, and a fake immediate scheduled inside a
  // fake timer callback does not run on the next advance.
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const realImmediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Advances the fake clock by `ms`, then lets the loop woken by it (real setImmediate) run. */
async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 3; i++) {
    await realImmediate();
    await vi.advanceTimersByTimeAsync(0);
  }
}

/** Awaits `promise` while the fake clock runs for up to `ms`. */
async function whileClockRuns<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true));
  for (let elapsed = 0; !done && elapsed < ms; elapsed += 10) await settle(10);
  return promise;
}

function identity(h: SinkHealth): string {
  return `${h.emitted} = ${h.delivered} + ${h.droppedTotal} + ${h.queued} + ${h.inFlight}`;
}

function expectIdentity(sink: Sink<number>): void {
  const h = sink.health();
  expect(deliveryIdentityHolds(h), identity(h)).toBe(true);
}

function setup(options: Partial<SinkOptions<number>> = {}): { sink: Sink<number>; transport: ScriptedTransport } {
  const transport = new ScriptedTransport();
  const sink = createSink<number>({ transport, encode: encodeNumbers, backoff: { random: () => 0.5 }, ...options });
  return { sink, transport };
}

function enqueueRange(sink: Sink<number>, from: number, to: number, bytes = 10): void {
  for (let i = from; i < to; i++) sink.enqueue(i, bytes);
}

describe("createSink", () => {
  it("documents its defaults", () => {
    expect(sinkDefaults).toMatchObject({
      maxQueueBytes: 32 * 1024 * 1024,
      maxBatchRecords: 512,
      maxBatchBytes: 1024 * 1024,
      flushIntervalMs: 200,
      whenBreakerOpen: "buffer",
    });
    expect(Object.isFrozen(sinkDefaults)).toBe(true);
  });

  it("sends a full batch at once, without waiting for the flush interval", async () => {
    const { sink, transport } = setup({ maxBatchRecords: 3 });
    enqueueRange(sink, 0, 3);
    expect(transport.sent).toHaveLength(0); // never sends inside enqueue
    await settle();
    expect(transport.sent.map((b) => b.records)).toEqual([[0, 1, 2]]);
    expect(sink.health()).toMatchObject({ emitted: 3, queued: 0, inFlight: 3 });
  });

  it("after a delivered batch, lets less than a batch linger while records keep arriving, unless a flush waits", async () => {
    const { sink, transport } = setup({ maxBatchRecords: 3, flushIntervalMs: 200 });
    enqueueRange(sink, 0, 3);
    await settle();
    enqueueRange(sink, 3, 5); // arrive while [0, 1, 2] is in flight
    transport.respond(ok);
    await settle(100);
    expect(transport.sent.map((b) => b.records)).toEqual([[0, 1, 2]]); // not [3, 4] right after the ok
    expect(sink.health()).toMatchObject({ delivered: 3, queued: 2 });
    await settle(100);
    expect(transport.sent.map((b) => b.records)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]); // the linger
    transport.respond(ok);
    await settle();
    enqueueRange(sink, 5, 8); // a full batch goes at once
    await settle();
    enqueueRange(sink, 8, 9);
    const flushed = sink.flush(1000); // a flush waits: the rest goes right after the ok
    transport.respond(ok);
    await settle();
    expect(transport.sent.map((b) => b.records)).toEqual([[0, 1, 2], [3, 4], [5, 6, 7], [8]]);
    transport.respond(ok);
    expect(await whileClockRuns(flushed)).toMatchObject({ status: "complete", health: { delivered: 9, queued: 0 } });
    // No record arrived during the send (the end of a burst): the rest goes right after its ok.
    enqueueRange(sink, 9, 14);
    await settle();
    expect(transport.sent.at(-1)?.records).toEqual([9, 10, 11]);
    transport.respond(ok);
    await settle();
    expect(transport.sent.at(-1)?.records).toEqual([12, 13]);
    expectIdentity(sink);
  });

  it("sends a partial batch once the flush interval has passed", async () => {
    const { sink, transport } = setup({ flushIntervalMs: 200 });
    enqueueRange(sink, 0, 2);
    await settle(199);
    expect(transport.sent).toHaveLength(0);
    await settle(1);
    expect(transport.sent.map((b) => b.records)).toEqual([[0, 1]]);
  });

  it("splits batches by maxBatchBytes, sending one larger record alone", async () => {
    const { sink, transport } = setup({ maxBatchBytes: 100 });
    transport.auto = () => ok;
    sink.enqueue(0, 60);
    sink.enqueue(1, 60);
    sink.enqueue(2, 500);
    sink.enqueue(3, 10);
    await whileClockRuns(sink.flush(1000));
    expect(transport.sent.map((b) => b.records)).toEqual([[0], [1], [2], [3]]);
  });

  it("counts delivered records, the last latency and the last success time on ok", async () => {
    const { sink, transport } = setup();
    enqueueRange(sink, 0, 4);
    await settle(200);
    await settle(25);
    transport.respond(ok);
    await settle();
    expect(sink.health()).toMatchObject({ emitted: 4, delivered: 4, queued: 0, inFlight: 0, lastLatencyMs: 25, lastSuccessTimeMs: 1_700_000_000_225 });
  });

  it("resends the same encoded batch after a full-jitter delay on retryable, and counts the resend", async () => {
    const { sink, transport } = setup();
    enqueueRange(sink, 0, 5);
    await settle(200);
    transport.respond(retryable());
    await settle(49); // random 0.5 of the 100 ms cap
    expect(transport.sent).toHaveLength(1);
    await settle(1);
    expect(transport.sent).toHaveLength(2);
    expect(transport.sent[1]).toBe(transport.sent[0]);
    transport.respond(ok);
    await settle();
    expect(sink.health()).toMatchObject({ delivered: 5, resent: 5, lastError: { code: "unavailable", message: "connection refused" } });
  });

  it("waits the server's retryAfterMs before resending", async () => {
    const { sink, transport } = setup();
    sink.enqueue(1, 10);
    await settle(200);
    transport.respond(retryable(3000));
    await settle(2999);
    expect(transport.sent).toHaveLength(1);
    await settle(1);
    expect(transport.sent).toHaveLength(2);
  });

  it("drops a batch as rejected on failed and goes on with the next one", async () => {
    const { sink, transport } = setup({ maxBatchRecords: 2 });
    enqueueRange(sink, 0, 4);
    await settle();
    transport.respond(failed());
    await settle();
    expect(transport.sent.map((b) => b.records)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    transport.respond(ok);
    await settle();
    expect(sink.health()).toMatchObject({ delivered: 2, dropped: { rejected: 2 }, resent: 0, lastError: { code: "rejected" } });
  });

  it("releases an encoded batch once: reusable after its ok, not reusable after a failed send, not on retryable", async () => {
    const released: [number[], boolean][] = [];
    const encode = (records: number[]) => {
      const batch = encodeNumbers(records);
      return { ...batch, release: (reusable: boolean) => released.push([batch.records as number[], reusable]) };
    };
    const { sink, transport } = setup({ maxBatchRecords: 2, encode });
    enqueueRange(sink, 0, 4);
    await settle();
    transport.respond(retryable());
    await settle(100);
    expect(released).toEqual([]);
    transport.respond(ok); // the resent [0, 1]
    await settle();
    expect(released).toEqual([[[0, 1], true]]);
    transport.respond(failed()); // [2, 3]
    await settle();
    expect(released).toEqual([
      [[0, 1], true],
      [[2, 3], false],
    ]);
    expect(sink.health()).toMatchObject({ delivered: 2, dropped: { rejected: 2 } });
  });

  it("counts a release that throws as an internal error and goes on", async () => {
    const encode = (records: number[]) => ({
      ...encodeNumbers(records),
      release: () => {
        throw new Error("bug");
      },
    });
    const { sink, transport } = setup({ encode });
    transport.auto = () => ok;
    enqueueRange(sink, 0, 3);
    await settle(200);
    expect(sink.health()).toMatchObject({ delivered: 3, internalErrors: 1 });
  });

  it("drops only the records that cannot be encoded, as encode_error", async () => {
    const transport = new ScriptedTransport();
    transport.auto = () => ok;
    const diagnostics: string[] = [];
    const sink = createSink<number>({
      transport,
      encode: (records) => {
        if (records.includes(13)) throw new RangeError("13 is unlucky");
        return encodeNumbers(records);
      },
      onDiagnostic: (message) => diagnostics.push(message),
    });
    enqueueRange(sink, 10, 16);
    expect((await whileClockRuns(sink.flush(1000))).status).toBe("complete");
    expect(transport.sent.map((b) => b.records)).toEqual([[10, 11, 12, 14, 15]]);
    expect(sink.health()).toMatchObject({ emitted: 6, delivered: 5, dropped: { encode_error: 1 }, lastError: { code: "internal" } });
    expect(diagnostics).toEqual(["[scripted] encode failed: 13 is unlucky"]);
  });

  it("does not complete a flush while a record enqueued before it is in flight, even when later ones fail to encode", async () => {
    const transport = new ScriptedTransport();
    const encode = (records: number[]) => {
      if (records.some((r) => r % 3 === 0 && r > 0)) throw new Error("cannot encode");
      return encodeNumbers(records);
    };
    const sink = createSink<number>({ transport, encode });
    sink.enqueue(1, 10);
    let resolved = false;
    const flushed = sink.flush(5000).then((report) => {
      resolved = true;
      return report;
    });
    sink.enqueue(3, 10);
    sink.enqueue(6, 10);
    await settle();
    expect(transport.sent.map((b) => b.records)).toEqual([[1]]);
    expect(sink.health()).toMatchObject({ inFlight: 1, dropped: { encode_error: 2 } });
    expect(resolved).toBe(false);
    transport.respond(ok);
    expect(await flushed).toMatchObject({ status: "complete", health: { delivered: 1 } });
  });

  it("encodes the full batches queued while one is being sent, holds their estimates in the bound and sends them in order", async () => {
    const encoded: number[][] = [];
    const { sink, transport } = setup({
      maxBatchRecords: 3,
      maxQueueBytes: 100,
      encode: (records) => {
        encoded.push([...records]);
        return encodeNumbers(records);
      },
    });
    enqueueRange(sink, 0, 3);
    await settle();
    expect(transport.sent.map((b) => b.records)).toEqual([[0, 1, 2]]);
    enqueueRange(sink, 3, 10); // two full batches and one record, while [0, 1, 2] waits for its answer
    await settle();
    expect(encoded).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(transport.sent).toHaveLength(1);
    expect(sink.health()).toMatchObject({ queued: 1, inFlight: 9, queuedBytes: 70 });
    enqueueRange(sink, 10, 20); // 30 bytes of room left under the bound: 3 accepted
    expect(sink.health()).toMatchObject({ queued: 4, queuedBytes: 100, dropped: { queue_full: 7 } });
    expectIdentity(sink);
    // Nothing arrived while [9, 10, 11] was sent: [12] goes right after, without the linger.
    while (transport.respond(ok)) await settle();
    const flushed = await whileClockRuns(sink.flush(1000));
    expect(flushed).toMatchObject({ status: "complete", health: { delivered: 13, queued: 0, inFlight: 0, queuedBytes: 0 } });
    expect(transport.sent.map((b) => b.records)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11], [12]]);
    expectIdentity(sink);
  });

  it("settles an ahead batch that cannot be encoded after the batch being sent, so an earlier flush waits for that one", async () => {
    const transport = new ScriptedTransport();
    const encode = (records: number[]) => {
      if (records.some((r) => r >= 3)) throw new Error("cannot encode");
      return encodeNumbers(records);
    };
    const sink = createSink<number>({ transport, encode, maxBatchRecords: 3 });
    enqueueRange(sink, 0, 3);
    let resolved = false;
    const flushed = sink.flush(5000).then((report) => {
      resolved = true;
      return report;
    });
    await settle();
    enqueueRange(sink, 3, 6);
    await settle();
    expect(sink.health()).toMatchObject({ inFlight: 3, dropped: { encode_error: 3 } });
    expect(resolved).toBe(false);
    transport.respond(ok);
    expect(await flushed).toMatchObject({ status: "complete", health: { delivered: 3, queued: 0, inFlight: 0 } });
    expectIdentity(sink);
  });

  it("drops batches encoded ahead as shutdown at the deadline, releasing their bytes", async () => {
    const { sink, transport } = setup({ maxBatchRecords: 2 });
    enqueueRange(sink, 0, 2);
    await settle();
    enqueueRange(sink, 2, 6);
    await settle();
    expect(sink.health()).toMatchObject({ inFlight: 6, queuedBytes: 40 });
    const report = await whileClockRuns(sink.shutdown(100));
    expect(report).toMatchObject({ status: "timeout", droppedAtShutdown: 6, health: { dropped: { shutdown: 6 }, inFlight: 0, queuedBytes: 0 } });
    expect(transport.sent).toHaveLength(1);
    expectIdentity(sink);
  });

  it("counts records over the byte bound as queue_full, exactly", async () => {
    const { sink } = setup({ maxQueueBytes: 100 });
    enqueueRange(sink, 0, 25, 10);
    expect(sink.health()).toMatchObject({ emitted: 25, queued: 10, queuedBytes: 100, dropped: { queue_full: 15 } });
    expectIdentity(sink);
  });

  it("counts records the caller found invalid", () => {
    const { sink } = setup();
    sink.countDropped("invalid", 3);
    sink.countDropped("invalid", -1);
    expect(sink.health()).toMatchObject({ emitted: 3, dropped: { invalid: 3 } });
  });

  it("does no I/O while the breaker is open, buffers new records, and probes after the cool-down", async () => {
    const transitions: BreakerTransition[] = [];
    const { sink, transport } = setup({ breaker: { failureThreshold: 2, cooldownMs: 1000, onStateChange: (t) => transitions.push(t) } });
    transport.auto = () => retryable();
    sink.enqueue(1, 10);
    await settle(200);
    await settle(50);
    expect(transport.sent).toHaveLength(2);
    expect(sink.health().breakerState).toBe("open");
    enqueueRange(sink, 2, 600);
    await settle(999);
    expect(transport.sent).toHaveLength(2);
    expect(sink.health()).toMatchObject({ emitted: 599, queued: 598, inFlight: 1, droppedTotal: 0 });
    transport.auto = () => ok;
    await settle(1);
    expect(transitions.map((t) => t.to)).toEqual(["open", "half_open", "closed"]);
    await whileClockRuns(sink.flush(1000));
    expect(sink.health()).toMatchObject({ delivered: 599, breakerState: "closed" });
    expect(transport.sent.slice(3).map((b) => b.count)).toEqual([512, 86]);
  });

  it("drops new records as breaker_open while open when whenBreakerOpen is drop", async () => {
    const { sink, transport } = setup({ whenBreakerOpen: "drop", breaker: { failureThreshold: 1, cooldownMs: 1000 } });
    transport.auto = () => retryable();
    sink.enqueue(1, 10);
    await settle(200);
    expect(sink.health().breakerState).toBe("open");
    enqueueRange(sink, 2, 12);
    expect(sink.health()).toMatchObject({ emitted: 11, inFlight: 1, dropped: { breaker_open: 10 } });
    expectIdentity(sink);
  });

  it("resolves flush as complete once everything enqueued before the call is delivered", async () => {
    const { sink, transport } = setup();
    enqueueRange(sink, 0, 3);
    const flushed = sink.flush(5000);
    await settle(); // flush does not wait for the flush interval
    expect(transport.sent).toHaveLength(1);
    sink.enqueue(99, 10); // after the call: not waited for
    transport.respond(ok);
    const report = await flushed;
    expect(report).toMatchObject({ status: "complete", pendingRecords: 0, health: { delivered: 3, queued: 1 } });
  });

  it("resolves flush as timeout at the deadline, never rejecting", async () => {
    const { sink, transport } = setup();
    transport.auto = () => retryable();
    enqueueRange(sink, 0, 3);
    const flushed = sink.flush(1000);
    await settle(1000);
    await expect(flushed).resolves.toMatchObject({ status: "timeout", pendingRecords: 3, elapsedMs: 1000 });
  });

  it("drops what is left as shutdown at the deadline, closes the transport, and counts later records as shutdown", async () => {
    const { sink, transport } = setup({ maxBatchRecords: 2 });
    enqueueRange(sink, 0, 5);
    const done = sink.shutdown(500);
    expect(sink.shutdown(500)).toBe(done);
    await settle(500);
    const report = await done;
    expect(report).toMatchObject({ status: "timeout", droppedAtShutdown: 5, health: { closed: true, inFlight: 0, queued: 0, dropped: { shutdown: 5 } } });
    expect(transport.closeCalls).toBe(1);
    expect(transport.pending).toHaveLength(0); // the in-flight send was aborted
    sink.enqueue(7, 10);
    expect(sink.health()).toMatchObject({ emitted: 6, dropped: { shutdown: 6 } });
    expectIdentity(sink);
  });

  it("shuts down cleanly when everything is delivered in time", async () => {
    const { sink, transport } = setup();
    transport.auto = () => ok;
    enqueueRange(sink, 0, 5);
    const report = await whileClockRuns(sink.shutdown(500));
    expect(report).toMatchObject({ status: "complete", droppedAtShutdown: 0, health: { delivered: 5 } });
  });

  it("returns frozen health snapshots", () => {
    const { sink } = setup();
    const h = sink.health();
    expect(Object.isFrozen(h)).toBe(true);
    expect(Object.isFrozen(h.dropped)).toBe(true);
  });

  it("reports its target in health, other by default, and refuses an unknown one", () => {
    expect(setup().sink.health().target).toBe("other");
    const { sink } = setup({ target: "otlp-logs" });
    expect([sink.target, sink.health().target]).toEqual(["otlp-logs", "otlp-logs"]);
    expect(() => setup({ target: "kafka" as never })).toThrow(/target="kafka"/);
  });

  it("throws one config_invalid error naming every bad option, nested ones included", () => {
    const bad = () =>
      createSink<number>({
        transport: {} as never,
        encode: encodeNumbers,
        maxBatchRecords: 0,
        whenBreakerOpen: "queue" as never,
        backoff: { initialDelayMs: -1 },
        bogus: 1,
      } as never);
    expect(bad).toThrow(TelemetryError);
    expect(bad).toThrow(/transport=object.*encode|bogus.*transport.*maxBatchRecords=0.*whenBreakerOpen="queue".*backoff=.*initialDelayMs=-1/);
  });

  it("keeps emitted = delivered + dropped + queued + inFlight after every step of random runs", async () => {
    const op = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({ kind: fc.constant("enqueue" as const), n: fc.integer({ min: 1, max: 40 }), bytes: fc.integer({ min: 0, max: 120 }) }),
      },
      { weight: 6, arbitrary: fc.record({ kind: fc.constant("respond" as const), outcome: fc.constantFrom("ok", "failed", "retryable", "retryable") }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 3000 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("flush" as const), ms: fc.integer({ min: 0, max: 500 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("encodeFails" as const), on: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("invalid" as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("shutdown" as const), ms: fc.integer({ min: 0, max: 1000 }) }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 80 }), fc.constantFrom<"buffer" | "drop">("buffer", "drop"), async (ops, whenBreakerOpen) => {
        let encodeFails = false;
        let sink: Sink<number> | undefined;
        const check = (): void => {
          if (sink) expectIdentity(sink);
        };
        const transport = new ScriptedTransport();
        transport.onSend = check; // mid-drain, between the synchronous steps of the loop
        sink = createSink<number>({
          transport,
          encode: (records) => {
            check();
            if (encodeFails && records.some((r) => r % 3 === 0)) throw new Error("cannot encode");
            return encodeNumbers(records);
          },
          maxQueueBytes: 1000,
          maxBatchRecords: 16,
          maxBatchBytes: 400,
          flushIntervalMs: 50,
          whenBreakerOpen,
          backoff: { random: () => 0.5, maxDelayMs: 800 },
          breaker: { failureThreshold: 2, cooldownMs: 400, onStateChange: check },
        });
        const flushes: Array<Promise<unknown>> = [];
        let next = 0;
        for (const o of ops) {
          if (o.kind === "enqueue") for (let i = 0; i < o.n; i++, check()) sink.enqueue(next++, o.bytes);
          else if (o.kind === "respond") transport.respond(o.outcome === "ok" ? ok : o.outcome === "failed" ? failed() : retryable());
          else if (o.kind === "advance") await settle(o.ms);
          else if (o.kind === "flush") flushes.push(sink.flush(o.ms));
          else if (o.kind === "encodeFails") encodeFails = o.on;
          else if (o.kind === "invalid") sink.countDropped("invalid");
          else flushes.push(sink.shutdown(o.ms));
          check();
          await settle();
          check();
        }
        transport.auto = () => ok;
        while (transport.respond(ok));
        await whileClockRuns(sink.shutdown(10_000), 20_000);
        await whileClockRuns(Promise.all(flushes), 20_000);
        const h = sink.health();
        expect(deliveryIdentityHolds(h), identity(h)).toBe(true);
        expect(h).toMatchObject({ queued: 0, inFlight: 0, queuedBytes: 0, internalErrors: 0 });
        expect(h.emitted).toBe(next + ops.filter((o) => o.kind === "invalid").length);
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });
});
