/** The collector's violation tally: counts per service and rule, bounded by maxServices (issue 13 item 12). */
import { describe, expect, it } from "vitest";
import { otherServices, ViolationTally } from "../../runtime/collector/contract-check.js";

const violation = { path: "message", rule: "string.min_len", message: "value is empty", forKey: false };

describe("ViolationTally", () => {
  it("counts at most maxServices services by name, the rest under (other)", () => {
    const tally = new ViolationTally(10, 3);
    for (let i = 0; i < 20_000; i++) {
      tally.add({ atMs: 0, service: `svc-${i}`, signal: "logs", source: "http", seq: i }, [violation]);
    }
    tally.add({ atMs: 0, service: "svc-1", signal: "logs", source: "http", seq: 0 }, [violation]);
    const summary = tally.summary();
    expect(summary.byService).toEqual({ "svc-0": 1, "svc-1": 2, "svc-2": 1, [otherServices]: 19_997 });
    expect(Object.keys(summary.byServiceAndRule)).toEqual(["svc-0", "svc-1", "svc-2", otherServices]);
    expect([summary.total, summary.records, summary.recent.length]).toEqual([20_001, 20_001, 10]);
  });
});
