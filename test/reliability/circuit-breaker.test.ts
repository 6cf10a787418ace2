import { describe, expect, it } from "vitest";
import { CircuitBreaker, circuitBreakerDefaults, type BreakerTransition, type CircuitBreakerOptions } from "../../runtime/reliability/circuit-breaker.js";

function breaker(options: CircuitBreakerOptions = {}): { breaker: CircuitBreaker; clock: { nowMs: number }; transitions: BreakerTransition[] } {
  const clock = { nowMs: 1_000_000 };
  const transitions: BreakerTransition[] = [];
  const b = new CircuitBreaker({ now: () => clock.nowMs, onStateChange: (t) => transitions.push(t), ...options });
  return { breaker: b, clock, transitions };
}

function fail(b: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) {
    b.tryAcquire();
    b.recordFailure();
  }
}

describe("CircuitBreaker", () => {
  it("documents 5 failures, a 10 s cool-down and a 5 min ceiling", () => {
    expect(circuitBreakerDefaults).toEqual({ failureThreshold: 5, cooldownMs: 10_000, maxCooldownMs: 300_000 });
  });

  it("opens after five consecutive failures", () => {
    const { breaker: b, transitions } = breaker();
    fail(b, 4);
    expect(b.state).toBe("closed");
    fail(b, 1);
    expect(b.state).toBe("open");
    expect(transitions).toEqual([{ from: "closed", to: "open", atMs: 1_000_000, consecutiveFailures: 5, cooldownMs: 10_000 }]);
  });

  it("counts only consecutive failures: a success in between starts over", () => {
    const { breaker: b } = breaker();
    fail(b, 4);
    b.recordSuccess();
    fail(b, 4);
    expect(b.state).toBe("closed");
    expect(b.consecutiveFailures).toBe(4);
  });

  it("allows no request while open, then exactly one probe after the cool-down", () => {
    const { breaker: b, clock, transitions } = breaker();
    fail(b, 5);
    clock.nowMs += 9_999;
    expect(b.tryAcquire()).toBe(false);
    expect(b.remainingCooldownMs()).toBe(1);
    clock.nowMs += 1;
    expect(b.tryAcquire()).toBe(true);
    expect(b.state).toBe("half_open");
    expect(b.tryAcquire()).toBe(false);
    expect(transitions.map((t) => t.to)).toEqual(["open", "half_open"]);
  });

  it("closes when the probe succeeds and resets the cool-down", () => {
    const { breaker: b, clock, transitions } = breaker();
    fail(b, 5);
    clock.nowMs += 10_000;
    b.tryAcquire();
    b.recordSuccess();
    expect(b.state).toBe("closed");
    expect(b.tryAcquire()).toBe(true);
    expect(b.cooldownMs).toBe(10_000);
    expect(transitions.map((t) => `${t.from}>${t.to}`)).toEqual(["closed>open", "open>half_open", "half_open>closed"]);
  });

  it("re-opens with a doubled cool-down when the probe fails, up to the maximum", () => {
    const { breaker: b, clock, transitions } = breaker({ cooldownMs: 1000, maxCooldownMs: 5000 });
    fail(b, 5);
    for (let i = 0; i < 5; i++) {
      clock.nowMs += b.cooldownMs;
      expect(b.tryAcquire()).toBe(true);
      b.recordFailure();
      expect(b.state).toBe("open");
    }
    expect(transitions.filter((t) => t.to === "open").map((t) => t.cooldownMs)).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it("keeps working when the listener throws, and counts it", () => {
    const b = new CircuitBreaker({
      failureThreshold: 1,
      onStateChange: () => {
        throw new Error("listener bug");
      },
    });
    b.recordFailure();
    expect(b.state).toBe("open");
    expect(b.listenerErrors).toBe(1);
  });

  it("throws config_invalid naming bad options", () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, cooldownMs: 5000, maxCooldownMs: 1000 })).toThrow(/failureThreshold=0.*maxCooldownMs=1000/);
  });
});
