// The log path accounts for every call: an entry reaches each sink once, enqueued or counted as
// dropped, even when building it fails; its byte estimate counts what its data holds.
import { describe, expect, it } from "vitest";
import { buildServiceMetadata, buildStandardLogEntry, type ServiceMetadata, type StandardLogEntry } from "../../generated/index.js";
import { logLevels, LogWriter } from "../../runtime/client/log-writer.js";
import type { Sink } from "../../runtime/reliability/sink/sink.js";

function recordingSink(): { sink: Sink<StandardLogEntry>; enqueued: number[]; dropped: string[] } {
  const enqueued: number[] = [];
  const dropped: string[] = [];
  const sink = { enqueue: (_entry: StandardLogEntry, bytes: number) => void enqueued.push(bytes), countDropped: (reason: string) => void dropped.push(reason) };
  return { sink: sink as unknown as Sink<StandardLogEntry>, enqueued, dropped };
}

const service = buildServiceMetadata({ name: "api", type: 1, environment: "test" });

describe("LogWriter", () => {
  it("counts an entry it could not build as dropped (invalid) in every sink", () => {
    const hostile = new Proxy(service, {
      get: () => {
        throw new Error("hostile");
      },
    }) as ServiceMetadata;
    const a = recordingSink();
    const b = recordingSink();
    const writer = new LogWriter(hostile, [a.sink, b.sink]);
    writer.write(logLevels.info, "m", { x: 1 }, undefined);
    expect(a.enqueued.length + a.dropped.length).toBe(1);
    expect(b.enqueued.length + b.dropped.length).toBe(1);
    expect(a.dropped).toEqual(["invalid"]);
    expect(writer.counters.invalid + writer.counters.internalErrors).toBe(1);
  });

  it("estimates an entry by the bytes its data holds: 2 bytes a UTF-16 unit of every string, nested ones included", () => {
    const { sink, enqueued } = recordingSink();
    const writer = new LogWriter(service, [sink]);
    const s = (n: number): string => "x".repeat(n);
    writer.write(logLevels.info, "m", undefined, undefined);
    writer.write(logLevels.info, "m", { a: s(10_000), list: [s(10_000), { deep: s(10_000) }] }, undefined);
    writer.write(logLevels.info, "m", { a: s(1_000_000) }, undefined);
    const [empty = 0, nested = 0, truncated = 0] = enqueued;
    expect(nested - empty).toBeGreaterThanOrEqual(3 * 20_000);
    expect(nested - empty).toBeLessThan(3 * 20_000 + 2000);
    expect(truncated - empty).toBeGreaterThanOrEqual(2 * 32_000);
    expect(truncated - empty).toBeLessThan(2 * 32_768 + 1000);
  });

  it("estimates a child logger's bindings and a finished entry's data by walking their values", () => {
    const { sink, enqueued } = recordingSink();
    const writer = new LogWriter(service, [sink]);
    const bindings = { $typeName: "emp.telemetry.v1.Value", kind: { case: "stringValue", value: "y".repeat(5000) } } as const;
    writer.write(logLevels.info, "m", undefined, undefined);
    writer.write(logLevels.info, "m", undefined, { b: bindings });
    writer.writeEntry(buildStandardLogEntry({ timeUnixNano: 1n, level: logLevels.info, message: "m", service, data: { b: bindings } }));
    const [plain = 0, bound = 0, finished = 0] = enqueued;
    expect(bound - plain).toBeGreaterThanOrEqual(10_000);
    expect(finished).toBe(bound);
  });
});

describe("LogWriter messages", () => {
  it("makes a message with a lone surrogate well-formed and counts the repair, also after the same text well-formed", () => {
    const captured: StandardLogEntry[] = [];
    const sink = { enqueue: (entry: StandardLogEntry) => void captured.push(entry), countDropped: () => undefined } as unknown as Sink<StandardLogEntry>;
    const writer = new LogWriter(service, [sink]);
    writer.write(logLevels.info, "ok", undefined, undefined);
    writer.write(logLevels.info, "a\uD800b", undefined, undefined);
    writer.write(logLevels.info, "a\uD800b", undefined, undefined);
    writer.write(logLevels.info, "ok", undefined, undefined);
    expect(captured.map((e) => e.message)).toEqual(["ok", "a\uFFFDb", "a\uFFFDb", "ok"]);
    expect(writer.repairs.invalidUtf16).toBe(2);
  });
});
