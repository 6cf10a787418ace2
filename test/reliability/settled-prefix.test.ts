// SettledPrefix maps the sink's settled count to the spool's ordinals when lost spilled records
// (holes) are settled out of order: checked against a brute-force model on random histories.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SettledPrefix } from "../../runtime/reliability/spool/settled-prefix.js";

/** Smallest ordinal that is neither settled nor lost. */
function bruteEnd(settled: ReadonlySet<number>, lost: ReadonlySet<number>): number {
  let end = 0;
  while (settled.has(end) || lost.has(end)) end++;
  return end;
}

describe("SettledPrefix", () => {
  it("gives the ordinal below which every record is settled, whatever holes are reported and when", () => {
    const history = fc.record({
      // Per ordinal: lost (part of a hole) or delivered.
      lost: fc.array(fc.boolean(), { minLength: 1, maxLength: 120 }),
      // How many ordinals ahead of the delivery front a hole may be reported (write failures of newer groups).
      lead: fc.array(fc.nat(10), { minLength: 120, maxLength: 120 }),
    });
    fc.assert(
      fc.property(history, ({ lost, lead }) => {
        const prefix = new SettledPrefix();
        const settled = new Set<number>();
        const reported = new Set<number>();
        let settledCount = 0;
        const report = (upTo: number): void => {
          // Reports every hole run starting below `upTo` not reported yet, as one addHole per run.
          for (let o = 0; o < Math.min(upTo, lost.length); o++) {
            if (!lost[o] || reported.has(o)) continue;
            let end = o;
            while (end < lost.length && lost[end] && !reported.has(end)) end++;
            prefix.addHole(o, end - o);
            for (let i = o; i < end; i++) reported.add(i);
            settledCount += end - o;
          }
        };
        for (let o = 0; o < lost.length; o++) {
          report(o + 1 + (lead[o] ?? 0)); // holes are always reported before any later record settles
          if (!lost[o]) {
            settled.add(o);
            settledCount++;
          }
          expect(prefix.end(settledCount)).toBe(bruteEnd(settled, reported));
        }
        expect(prefix.lost).toBe(lost.filter(Boolean).length);
      }),
      { numRuns: 300 },
    );
  });

  it("merges adjacent holes and keeps the end monotonic", () => {
    const prefix = new SettledPrefix();
    prefix.addHole(10, 5);
    prefix.addHole(15, 5);
    prefix.addHole(5, 5);
    expect(prefix.lost).toBe(15);
    expect(prefix.end(15 + 4)).toBe(4);
    expect(prefix.end(15 + 5)).toBe(20);
    expect(prefix.end(15 + 6)).toBe(21);
  });
});
