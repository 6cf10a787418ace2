// The trace view's data: spans nested by parent across services (whatever their arrival order),
// logs under their span, bounded memory; and records per client sink per second.
import { describe, expect, it } from "vitest";
import type { ReceivedRecord } from "../../runtime/collector/collector-records.js";
import { DeliveryTimeline, sinkOf } from "../../runtime/collector/delivery-timeline.js";
import { TraceIndex, traceTree, type TraceSpan } from "../../runtime/collector/trace-index.js";

const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
const ms = (n: number): string => String(1_700_000_000_000_000_000n + BigInt(Math.round(n * 1e6)));
let seq = 0;

function span(service: string, name: string, id: string, parent: string, startMs: number, endMs: number, extra: Record<string, unknown> = {}): ReceivedRecord {
  return {
    seq: ++seq,
    signal: "spans",
    source: "otlpHttp",
    receivedAtMs: 1000 + seq,
    service,
    record: {
      traceId: trace,
      spanId: id,
      parentSpanId: parent,
      name,
      startTimeUnixNano: ms(startMs),
      endTimeUnixNano: ms(endMs),
      status: { code: 0 },
      ...extra,
    },
    violations: [],
  } as ReceivedRecord;
}

function log(service: string, spanId: string, message: string, fluent = true): ReceivedRecord {
  const record = fluent ? { trace_id: trace, span_id: spanId, level: "info", message } : { traceId: trace, spanId, severityText: "INFO", body: message };
  return {
    seq: ++seq,
    signal: "logs",
    source: fluent ? "forward" : "otlpHttp",
    receivedAtMs: 1000 + seq,
    service,
    record,
    violations: [],
  } as unknown as ReceivedRecord;
}

// The demo's job, in the order its spans arrive: a child before its parent, the root first.
const job = [
  span("api-server", "POST /jobs", "a1", "", 0, 11),
  span("api-server", "webhook.notify", "a3", "a2", 80, 190),
  span("api-server", "POST /results", "a2", "w1", 78, 204),
  span("webhook-service", "webhook.deliver", "h1", "a3", 170, 174),
  span("comfyui-worker", "job.process", "w1", "a1", 35, 86, { attributes: { "emp.job.id": "job-1" } }),
];

describe("TraceIndex", () => {
  it("nests one job's spans by parent across services, siblings by start, with offsets and durations", () => {
    const index = new TraceIndex(10, 100);
    for (const r of [
      ...job,
      log("comfyui-worker", "w1", "job.started"),
      log("comfyui-worker", "w1", "job.completed", false),
      log("api-server", "gone", "orphan log"),
    ])
      index.add(r);
    const view = index.view(trace)!;
    expect(view.rows.map((r) => [r.depth, r.span.service, r.span.name, r.offsetMs, r.durationMs])).toEqual([
      [0, "api-server", "POST /jobs", 0, 11],
      [1, "comfyui-worker", "job.process", 35, 51],
      [2, "api-server", "POST /results", 78, 126],
      [3, "api-server", "webhook.notify", 80, 110],
      [4, "webhook-service", "webhook.deliver", 170, 4],
    ]);
    expect(view.durationMs).toBe(204);
    expect(view.services).toEqual(["api-server", "comfyui-worker", "webhook-service"]);
    expect(view.rows[1]!.logs.map((l) => `${l.level} ${l.message}`)).toEqual(["info job.started", "INFO job.completed"]);
    expect(view.looseLogs.map((l) => l.message)).toEqual(["orphan log"]);
    expect(index.list(5)).toEqual([
      { traceId: trace, root: "POST /jobs", jobId: "job-1", services: view.services, spans: 5, logs: 3, durationMs: 204, lastSeenAtMs: expect.any(Number) },
    ]);
  });

  it("marks a span whose parent never arrived, and survives a cycle of parents", () => {
    const spans: TraceSpan[] = [
      { spanId: "b", parentSpanId: "missing", name: "late child", service: "s", startTimeUnixNano: ms(5), endTimeUnixNano: ms(6), statusCode: 0, seq: 1 },
      { spanId: "x", parentSpanId: "y", name: "x", service: "s", startTimeUnixNano: ms(1), endTimeUnixNano: ms(2), statusCode: 2, seq: 2 },
      { spanId: "y", parentSpanId: "x", name: "y", service: "s", startTimeUnixNano: ms(3), endTimeUnixNano: ms(4), statusCode: 0, seq: 3 },
    ];
    const view = traceTree(trace, spans);
    expect(view.rows.map((r) => [r.span.name, r.depth, r.orphan])).toEqual([
      ["late child", 0, true],
      ["x", 0, true],
      ["y", 1, false],
    ]);
  });

  it("keeps the most recent traces and at most recordsPerTrace records of each, counting the rest", () => {
    const index = new TraceIndex(2, 3);
    const other = (id: string): ReceivedRecord => ({ ...job[0]!, record: { ...job[0]!.record, traceId: id.repeat(32) } }) as ReceivedRecord;
    for (const r of job) index.add(r);
    expect(index.view(trace)!.dropped).toBe(2);
    expect(index.view(trace)!.rows).toHaveLength(3);
    index.add(other("b"));
    index.add(job[0]!); // touches the trace: now the most recent
    index.add(other("c"));
    expect(index.view("b".repeat(32))).toBeUndefined();
    expect(index.view(trace)).toBeDefined();
    expect(index.list(10).map((t) => t.traceId)).toEqual([trace, "c".repeat(32)]);
  });

  it("lists traces of a job or of several spans before single-span ones (a poll), at most five of those", () => {
    const index = new TraceIndex(10, 100);
    for (const r of job) index.add(r);
    for (let i = 0; i < 8; i++)
      index.add({ ...job[0]!, record: { ...job[0]!.record, traceId: "abcdef12"[i]!.repeat(32), name: `GET /jobs/next ${i}` } } as ReceivedRecord);
    expect(index.list(10).map((t) => t.root)).toEqual(["POST /jobs", ...[7, 6, 5, 4, 3].map((i) => `GET /jobs/next ${i}`)]);
    expect(index.list(1).map((t) => t.root)).toEqual(["POST /jobs"]);
  });

  it("ignores records without a trace", () => {
    const index = new TraceIndex(10, 100);
    index.add({ ...log("s", "", "no trace"), record: { level: "info", message: "x" } } as ReceivedRecord);
    index.add({ ...log("s", "", "zero"), record: { trace_id: "0".repeat(32), message: "x" } } as ReceivedRecord);
    expect(index.list(10)).toEqual([]);
  });
});

describe("DeliveryTimeline", () => {
  it("counts records per client sink per second over the last buckets", () => {
    const t = new DeliveryTimeline(1000, 5);
    t.add("forward", "logs", 10_000);
    t.add("forward", "logs", 10_999);
    t.add("otlpHttp", "spans", 12_500);
    t.add("forward", "logs", 14_000);
    const snap = t.snapshot(14_200);
    expect(snap).toEqual({
      bucketMs: 1000,
      endMs: 15_000,
      series: [
        { sink: "fluentd (forward)", source: "forward", signal: "logs", counts: [2, 0, 0, 0, 1], total: 3 },
        { sink: "otlp traces (HTTP)", source: "otlpHttp", signal: "spans", counts: [0, 0, 1, 0, 0], total: 1 },
      ],
    });
    // Old buckets roll out; bucket 17 reuses bucket 12's slot and starts from zero.
    t.add("forward", "logs", 17_000);
    expect(t.snapshot(17_000).series[0]!.counts).toEqual([0, 1, 0, 0, 1]);
    expect(t.snapshot(17_000).series[1]!.counts).toEqual([0, 0, 0, 0, 0]);
  });

  it("names each input and signal after the client sink that sends it", () => {
    expect(sinkOf("http", "logs")).toBe("fluentd (in_http)");
    expect(sinkOf("otlpGrpc", "logs")).toBe("otlp logs (gRPC)");
    expect(sinkOf("dash0", "spans")).toBe("dash0 spans");
  });
});
