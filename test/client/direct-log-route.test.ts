// The direct route: taken only where it may be (flat data, its sink the only one, no beforeSend, printer
// or redaction path), and, through a real forward receiver decoding with @msgpack/msgpack, the records it
// delivers are the general path's records.
import { afterEach, describe, expect, it } from "vitest";
import { buildServiceMetadata, type StandardLogEntry } from "../../generated/index.js";
import type { DirectLogRoute } from "../../runtime/client/direct-log-route.js";
import { logLevels, LogWriter } from "../../runtime/client/log-writer.js";
import { Redaction } from "../../runtime/records/redaction.js";
import type { Sink } from "../../runtime/reliability/sink/sink.js";
import { type Harness, startHarness } from "../helpers/client-harness.js";

const service = buildServiceMetadata({ name: "api", type: 1, environment: "test" });

/** A route that takes every call it is offered, and a sink that records what the general path enqueues. */
function spies(): { route: DirectLogRoute; sink: Sink<StandardLogEntry>; direct: unknown[]; general: StandardLogEntry[] } {
  const direct: unknown[] = [];
  const general: StandardLogEntry[] = [];
  const sink = { enqueue: (entry: StandardLogEntry) => void general.push(entry), countDropped: () => undefined } as unknown as Sink<StandardLogEntry>;
  const route: DirectLogRoute = {
    sink,
    write(entry, data) {
      expect(Object.keys(entry.data)).toEqual([]);
      direct.push(data);
      return true;
    },
  };
  return { route, sink, direct, general };
}

describe("LogWriter's direct route", () => {
  it("is offered calls with an object (no Error) or no data, without bindings, while its sink is the only one", () => {
    const s = spies();
    const writer = new LogWriter(service, [s.sink], { direct: s.route });
    writer.write(logLevels.info, "a", { x: 1 }, undefined);
    writer.write(logLevels.info, "b", undefined, undefined);
    writer.write(logLevels.info, { y: 2 }, "pino order", undefined);
    writer.write(logLevels.error, "c", new Error("boom"), undefined);
    writer.write(logLevels.info, "d", 42, undefined);
    writer.write(logLevels.info, "e", { x: 1 }, { bound: { $typeName: "emp.telemetry.v1.Value", kind: { case: "boolValue", value: true } } });
    writer.write(logLevels.info, "f", { x: 1 }, undefined, new Error("extra"));
    expect(s.direct).toEqual([{ x: 1 }, undefined, { y: 2 }]);
    expect(s.general.map((e) => e.message)).toEqual(["c", "d", "e", "f"]);
    expect(writer.counters.written).toBe(7);
    writer.sinks.push(spies().sink); // a file added later: every sink needs the entry
    writer.write(logLevels.info, "g", { x: 1 }, undefined);
    expect(s.direct.length).toBe(3);
    expect(s.general.at(-1)?.message).toBe("g");
  });

  it("is never taken with a beforeSend hook, a printer or a redaction path", () => {
    for (const options of [{ beforeSend: (e: StandardLogEntry) => e }, { print: () => undefined }, { redaction: new Redaction(["user.password"]) }]) {
      const s = spies();
      const writer = new LogWriter(service, [s.sink], { ...options, direct: s.route });
      writer.write(logLevels.info, "a", { x: 1 }, undefined);
      expect(s.direct).toEqual([]);
      expect(s.general.length).toBe(1);
    }
  });

  it("hands data the route refuses to the general path, counted once", () => {
    const s = spies();
    const refusing: DirectLogRoute = { sink: s.sink, write: () => false };
    const writer = new LogWriter(service, [s.sink], { direct: refusing });
    writer.write(logLevels.info, "a", { s: "a\ud800" }, undefined);
    expect(s.general.length).toBe(1);
    expect(writer.repairs.invalidUtf16).toBe(1);
    expect(writer.counters.written).toBe(1);
  });
});

describe("records through the direct route", () => {
  let hs: Harness[] = [];
  afterEach(async () => {
    await Promise.all(hs.map((h) => h.close()));
    hs = [];
  });

  it("reach a forward receiver as the general path's records, field for field", async () => {
    const base = { serviceName: "api-server", serviceType: "api" as const, otlp: { enabled: false }, serviceVersion: "2.0.0" };
    const direct = await startHarness(base);
    const general = await startHarness({ ...base, beforeSend: (e: StandardLogEntry) => e });
    hs = [direct, general];
    for (const h of hs) {
      const log = h.client.log;
      log.info("flat", { port: 3001, "emp.job.id": "job-42", ok: true, ratio: 0.25, big: 2 ** 60, none: undefined, nil: null });
      log.warn("reserved keys", { message: "kept out", level: "x", route: "/jobs" });
      log.info({ userId: 7 }, "pino order");
      log.info("nested", { user: { id: 7, tags: ["a", "b"] } });
      log.error("failed", new Error("boom"));
      log.info("redacted", { password: "hunter2", token: "t0k3n", user: "u" });
      log.info("repaired", { s: "a\ud800b", n: Number.NaN });
      log.info("no data");
      log.child({ job: "j1" }).info("child", { x: 1 });
      h.client.trace.span("op", () => log.info("in a span", { step: 2 }));
    }
    const strip = (r: Record<string, unknown>) => {
      const { __time, timestamp, trace_id, span_id, trace_flags, ...rest } = r;
      expect(typeof timestamp).toBe("string");
      return rest;
    };
    const [d, g] = await Promise.all([direct.fluentRecords(), general.fluentRecords()]);
    expect(d.length).toBe(10);
    expect(d.map(strip)).toEqual(g.map(strip));
    expect(d[0]).toMatchObject({ port: 3001, "emp.job.id": "job-42", ok: true, ratio: 0.25, big: 2 ** 60, message: "flat", "service.version": "2.0.0" });
    expect(d[5]).toMatchObject({ password: "[redacted]", token: "[redacted]", user: "u" });
    expect(d[9]?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(direct.client.health().totals).toMatchObject({ emitted: 10, delivered: 10, droppedTotal: 0 });
  });
});
