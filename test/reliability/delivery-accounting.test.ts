import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeliveryAccounting, deliveryIdentityHolds, dropReasons, type DropReason } from "../../runtime/reliability/delivery-accounting.js";

describe("DeliveryAccounting", () => {
  it("starts at zero with every drop reason present", () => {
    const s = new DeliveryAccounting().snapshot();
    expect(s).toEqual({
      emitted: 0,
      delivered: 0,
      droppedTotal: 0,
      queued: 0,
      inFlight: 0,
      resent: 0,
      dropped: { queue_full: 0, breaker_open: 0, rejected: 0, invalid: 0, shutdown: 0, encode_error: 0, spool_error: 0, filtered: 0 },
      lastError: undefined,
      lastSuccessTimeMs: undefined,
      lastLatencyMs: undefined,
    });
    expect(Object.keys(s.dropped)).toEqual([...dropReasons]);
  });

  it("returns frozen plain snapshots that later counting does not change", () => {
    const accounting = new DeliveryAccounting();
    accounting.accepted();
    const before = accounting.snapshot();
    accounting.startedSending(1);
    accounting.delivered(1, 1_700_000_000_000, 12);
    expect(Object.isFrozen(before)).toBe(true);
    expect(Object.isFrozen(before.dropped)).toBe(true);
    expect(before).toMatchObject({ emitted: 1, queued: 1, delivered: 0 });
    expect(accounting.snapshot()).toMatchObject({ delivered: 1, lastSuccessTimeMs: 1_700_000_000_000, lastLatencyMs: 12 });
    expect(JSON.parse(JSON.stringify(before))).toEqual({ ...before, lastError: undefined });
  });

  it("remembers the last error with its code and time", () => {
    const accounting = new DeliveryAccounting();
    accounting.failed("no ack within 5000 ms", "ack_timeout", 42);
    expect(accounting.snapshot().lastError).toEqual({ message: "no ack within 5000 ms", code: "ack_timeout", timeMs: 42 });
  });

  it("keeps emitted = delivered + dropped + queued + inFlight after every operation of a seeded random sequence", () => {
    const reason = fc.constantFrom<DropReason>(...dropReasons);
    const op = fc.oneof(
      fc.record({ kind: fc.constant("accept" as const) }),
      fc.record({ kind: fc.constant("dropOnArrival" as const), reason, n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant("send" as const), n: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant("deliver" as const), n: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant("dropInFlight" as const), reason, n: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant("dropQueued" as const), reason, n: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ kind: fc.constant("resend" as const), n: fc.integer({ min: 1, max: 10 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const a = new DeliveryAccounting();
        for (const o of ops) {
          // Moves are only legal for records that are in the bucket they leave (as in the sink).
          const q = a.queued;
          const f = a.inFlight;
          if (o.kind === "accept") a.accepted();
          else if (o.kind === "dropOnArrival") a.droppedOnArrival(o.reason, o.n);
          else if (o.kind === "send") a.startedSending(Math.min(o.n, q));
          else if (o.kind === "deliver") a.delivered(Math.min(o.n, f), 0, 1);
          else if (o.kind === "dropInFlight") a.droppedInFlight(o.reason, Math.min(o.n, f));
          else if (o.kind === "dropQueued") a.droppedQueued(o.reason, Math.min(o.n, q));
          else a.resending(Math.min(o.n, f));
          const s = a.snapshot();
          expect(deliveryIdentityHolds(s)).toBe(true);
          expect(s.droppedTotal).toBe(dropReasons.reduce((sum, r) => sum + s.dropped[r], 0));
          expect(s.queued).toBeGreaterThanOrEqual(0);
          expect(s.inFlight).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
