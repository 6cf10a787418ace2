import { describe, expect, it } from "vitest";
import { Backoff, backoffDefaults, fullJitterDelayMs, resolveBackoffOptions } from "../../runtime/reliability/backoff.js";

describe("Backoff", () => {
  it("documents 100 ms doubling up to 30 s", () => {
    expect(backoffDefaults).toEqual({ initialDelayMs: 100, maxDelayMs: 30_000, multiplier: 2 });
    expect(Object.isFrozen(backoffDefaults)).toBe(true);
  });

  it("draws each delay uniformly below a cap that doubles up to the maximum (full jitter)", () => {
    const backoff = new Backoff({ random: () => 0.5 });
    const delays = Array.from({ length: 12 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 15000, 15000, 15000]);
    expect(backoff.attempt).toBe(12);
  });

  it("spans the whole window from 0 to just under the cap", () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 0.999999 });
    expect([low.nextDelayMs(), low.nextDelayMs(), low.nextDelayMs()]).toEqual([0, 0, 0]);
    expect([high.nextDelayMs(), high.nextDelayMs(), high.nextDelayMs()]).toEqual([99, 199, 399]);
  });

  it("is deterministic for a given random sequence", () => {
    const sequence = (): number[] => {
      let state = 42;
      const random = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const backoff = new Backoff({ random, initialDelayMs: 10, maxDelayMs: 1000 });
      return Array.from({ length: 10 }, () => backoff.nextDelayMs());
    };
    const first = sequence();
    expect(sequence()).toEqual(first);
    for (const [attempt, delay] of first.entries()) expect(delay).toBeLessThan(Math.min(1000, 10 * 2 ** attempt));
  });

  it("uses the server's retryAfterMs instead of the jittered delay, capped by the maximum", () => {
    const backoff = new Backoff({ random: () => 0.5, maxDelayMs: 5000 });
    expect(backoff.nextDelayMs(1234)).toBe(1234);
    expect(backoff.nextDelayMs(60_000)).toBe(5000);
    expect(backoff.nextDelayMs(Number.NaN)).toBe(200);
    expect(backoff.nextDelayMs(-1)).toBe(400);
  });

  it("starts over at the shortest delay after reset", () => {
    const backoff = new Backoff({ random: () => 0.5 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(50);
  });

  it("clamps out-of-range random draws and never returns more than the cap", () => {
    const options = resolveBackoffOptions({ initialDelayMs: 100 });
    expect(fullJitterDelayMs(0, options, 7)).toBe(99);
    expect(fullJitterDelayMs(0, options, -3)).toBe(0);
    expect(fullJitterDelayMs(5000, options, 0.5)).toBe(15_000);
  });

  it("throws one config_invalid error naming every bad option", () => {
    expect(() => new Backoff({ initialDelayMs: 0, maxDelayMs: 10.5, multiplier: 0.5 })).toThrow(/initialDelayMs=0.*maxDelayMs=10.5.*multiplier=0.5/);
    expect(() => new Backoff({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(/at least initialDelayMs/);
  });
});
