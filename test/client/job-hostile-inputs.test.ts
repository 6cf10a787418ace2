// Issue 13 item 7: job.process and job.record never throw into the app, whatever job, error or progress it hands over.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/client-harness.js";
import { revokedProxy, throwingProxy } from "../helpers/hostile-values.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function worker(): Promise<Harness> {
  h = await startHarness({ serviceName: "worker-1", serviceType: "worker", machineId: "m-1", workerId: "w-1" });
  return h;
}

async function lifecycles(harness: Harness): Promise<unknown[]> {
  return (await harness.fluentRecords()).map((r) => r["emp.job.lifecycle"]).filter((l) => l !== undefined);
}

describe("job.process with a hostile job", () => {
  const jobs: [string, () => unknown][] = [
    ["null", () => null],
    ["undefined", () => undefined],
    ["a number", () => 42],
    ["a throwing Proxy", () => throwingProxy()],
    ["a revoked Proxy", revokedProxy],
    [
      "a job whose carrier getters throw",
      () => ({
        id: "job-1",
        get telemetry(): never {
          throw new Error("no");
        },
        headers: throwingProxy(),
      }),
    ],
  ];
  for (const [name, make] of jobs) {
    it(`runs the handler with ${name} as the job, returns its value and logs the lifecycle`, async () => {
      const { client } = await worker();
      const job = make();
      let seen: unknown = "not called";
      const result = await client.job.process(job as never, async (j) => {
        seen = j;
        return "done";
      });
      expect(result).toBe("done");
      expect(seen).toBe(job);
      expect(await lifecycles(h!)).toEqual(["received", "started", "completed"]);
    });
  }
});

describe("job.process with a hostile error", () => {
  const errors: [string, () => unknown][] = [
    ["an Error whose message is a number", () => Object.assign(new Error("x"), { message: 42 })],
    ["an Error whose message is a null-prototype object", () => Object.assign(new Error("x"), { message: Object.create(null) })],
    ["a null-prototype object", () => Object.create(null)],
    ["a throwing Proxy", () => throwingProxy()],
    ["a revoked Proxy", revokedProxy],
    [
      "an Error whose message getter throws",
      () =>
        Object.defineProperty(new Error("x"), "message", {
          get: () => {
            throw new Error("no");
          },
        }),
    ],
    ["undefined", () => undefined],
  ];
  for (const [name, make] of errors) {
    it(`rethrows ${name} unchanged and logs 'failed'`, async () => {
      const { client } = await worker();
      const thrown = make();
      let caught: unknown = "nothing";
      await client.job
        .process({ id: "job-9" }, async () => {
          throw thrown;
        })
        .catch((e: unknown) => {
          caught = e; // not returned: resolving with a hostile Proxy would read its then
        });
      expect(caught).toBe(thrown);
      const failed = (await h!.fluentRecords()).filter((r) => r["emp.job.lifecycle"] === "failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ level: "error", "emp.job.id": "job-9" });
    });
  }

  it("keeps the error's type, message and causes in the 'failed' entry", async () => {
    const { client } = await worker();
    const error = new RangeError("out of range", { cause: new Error("root cause") });
    await expect(client.job.process({ id: "job-3" }, () => Promise.reject(error))).rejects.toBe(error);
    const failed = (await h!.fluentRecords()).find((r) => r["emp.job.lifecycle"] === "failed")!;
    expect(failed).toMatchObject({ "exception.type": "RangeError", "exception.message": "out of range", "emp.job.message": "out of range" });
    expect(failed["emp.exception.causes"]).toEqual([expect.objectContaining({ "exception.type": "Error", "exception.message": "root cause" })]);
    expect(String(failed["exception.stacktrace"])).toContain("RangeError: out of range");
  });

  it("survives a canRetry predicate or options that throw", async () => {
    const { client } = await worker();
    const error = new Error("x");
    const canRetry = (): never => {
      throw new Error("predicate");
    };
    await expect(client.job.process({ id: "job-4" }, () => Promise.reject(error), { canRetry })).rejects.toBe(error);
    await expect(client.job.process({ id: "job-5" }, () => Promise.reject(error), throwingProxy() as never)).rejects.toBe(error);
    expect((await h!.fluentRecords()).filter((r) => r["emp.job.lifecycle"] === "failed")).toHaveLength(2);
  });
});

describe("job.record and progress with hostile arguments", () => {
  it("never throw", async () => {
    const { client } = await worker();
    for (const job of [null, undefined, 7, throwingProxy(), revokedProxy()]) {
      expect(() => client.job.record(job as never, "received")).not.toThrow();
      expect(() => client.job.record({ id: "job-6" }, "claimed", job as never)).not.toThrow();
    }
    expect(() => client.job.record({ id: "job-6" }, "__proto__" as never)).not.toThrow();
    expect(() => client.job.record({ id: "job-6" }, Object.create(null) as never)).not.toThrow();
    const result = await client.job.process({ id: "job-8" }, async (_j, ctl) => {
      ctl.progress(Object.create(null) as never, Object.create(null) as never, throwingProxy() as never);
      ctl.progress(50, "half", { current: Object.create(null) as never, total: 2 });
      return 1;
    });
    expect(result).toBe(1);
    const records = await h!.fluentRecords();
    expect(records.filter((r) => r["emp.job.lifecycle"] === "received" && r["emp.job.id"] === "(unknown)")).toHaveLength(5);
    expect(records.filter((r) => r["emp.job.lifecycle"] === "progress")).toHaveLength(2);
    expect(client.health().log.internalErrors).toBe(0);
  });
});
