// pino's argument order, `log.info({ userId: 7 }, "msg")`, reaches the receiver as message and data,
// as ours does; an Error alone keeps its type and message.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/client-harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function recordsOf(write: (h: Harness) => void): Promise<Record<string, unknown>[]> {
  harness = await startHarness({ serviceName: "pino-order", serviceType: "api", otlp: { traces: false } });
  write(harness);
  return harness.fluentRecords();
}

describe("log calls in pino's order", () => {
  it("takes (data, message) as message and data", async () => {
    const [record] = await recordsOf((h) => h.client.log.info({ userId: 7 }, "signed in"));
    expect(record).toMatchObject({ message: "signed in", userId: 7 });
  });

  it("takes (message, data) as before", async () => {
    const [record] = await recordsOf((h) => h.client.log.info("signed in", { userId: 7 }));
    expect(record).toMatchObject({ message: "signed in", userId: 7 });
  });

  it("keeps an Error passed alone as the entry's error, its message as the entry's", async () => {
    const [record] = await recordsOf((h) => h.client.log.error(new TypeError("bad input", { cause: new Error("root") })));
    expect(record).toMatchObject({ message: "bad input", "exception.type": "TypeError", "exception.message": "bad input" });
  });

  it("keeps an Error first and the message second", async () => {
    const [record] = await recordsOf((h) => h.client.log.error(new RangeError("too big"), "upload failed"));
    expect(record).toMatchObject({ message: "upload failed", "exception.type": "RangeError" });
  });

  it("takes data alone with its msg as the message, as pino does", async () => {
    const records = await recordsOf((h) => {
      h.client.log.warn({ msg: "slow query", ms: 930 });
      h.client.log.warn({ ms: 12 });
    });
    expect(records.map((r) => [r.message, r.ms])).toEqual([
      ["slow query", 930],
      ["(no message)", 12],
    ]);
    expect(harness?.client.repairCount).toBe(0);
  });
});
