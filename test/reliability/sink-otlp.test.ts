// The reliability layer around the real OTLP/HTTP transport, against a scripted OTLP receiver that
// decodes with the protobuf-es code generated from the OTLP protos.
import { afterEach, describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { encodeOtlpLogs } from "../../runtime/encoding/otlp-log-encoder.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { type OtlpReceiver, startOtlpReceiver } from "../helpers/otlp-receiver.js";
import { until } from "../helpers/until.js";

const entry = (i: number): c.StandardLogEntry =>
  c.buildStandardLogEntry({
    timeUnixNano: 1764314558_000000000n + BigInt(i),
    level: c.LogLevel.WARN,
    message: `entry ${i}`,
    service: { name: "webhook-service", type: c.ServiceType.WEBHOOK, environment: "test" },
    trace: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 },
  });

let receiver: OtlpReceiver | undefined;
let sink: Sink<c.StandardLogEntry> | undefined;
afterEach(async () => {
  await sink?.shutdown(1000);
  await receiver?.close();
});

describe("a sink on the OTLP/HTTP transport", () => {
  it("retries 503 with backoff, waits out 429 Retry-After: 1, then delivers once", async () => {
    receiver = await startOtlpReceiver();
    receiver.script({ status: 503 }, { status: 429, headers: { "retry-after": "1" } });
    const s = createSink<c.StandardLogEntry>({
      transport: createOtlpHttpTransport({ url: receiver.url("/v1/logs") }),
      encode: encodeOtlpLogs,
      flushIntervalMs: 0,
      backoff: { initialDelayMs: 20, random: () => 1 },
    });
    sink = s;
    for (let i = 0; i < 3; i++) s.enqueue(entry(i), 300);
    await until(() => s.health().delivered === 3, 5000);
    const times = receiver.requests.map((r) => r.receivedAtMs);
    expect(receiver.requests.map((r) => r.path)).toEqual(["/v1/logs", "/v1/logs", "/v1/logs"]);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(15);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(990);
    const h = s.health();
    expect(h).toMatchObject({ emitted: 3, delivered: 3, droppedTotal: 0, queued: 0, inFlight: 0, resent: 6 });
    const [request] = receiver.logs().slice(-1);
    const records = request!.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(records.map((r) => r.body?.value.value)).toEqual(["entry 0", "entry 1", "entry 2"]);
    expect(Buffer.from(records[0]!.traceId).toString("hex")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("opens the breaker after consecutive failures, does no I/O while open, and closes after a good probe", async () => {
    let healthy = false;
    receiver = await startOtlpReceiver(() => (healthy ? { status: 200 } : { status: 503 }));
    const transitions: string[] = [];
    const s = createSink<c.StandardLogEntry>({
      transport: createOtlpHttpTransport({ url: receiver.url("/v1/logs") }),
      encode: encodeOtlpLogs,
      flushIntervalMs: 0,
      backoff: { initialDelayMs: 5, maxDelayMs: 10 },
      breaker: { failureThreshold: 3, cooldownMs: 300, onStateChange: (t) => transitions.push(`${t.from}->${t.to}`) },
    });
    sink = s;
    s.enqueue(entry(0), 300);
    await until(() => s.health().breakerState === "open", 3000);
    const requestsWhenOpened = receiver.requests.length;
    expect(requestsWhenOpened).toBe(3);
    for (let i = 1; i < 50; i++) s.enqueue(entry(i), 300);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.requests.length).toBe(requestsWhenOpened);
    healthy = true;
    await until(() => s.health().delivered === 50, 5000);
    expect(transitions).toEqual(["closed->open", "open->half_open", "half_open->closed"]);
    expect(s.health()).toMatchObject({ emitted: 50, delivered: 50, droppedTotal: 0, breakerState: "closed" });
  });

  it("drops a batch the receiver refuses (400) as rejected, with the reason kept", async () => {
    receiver = await startOtlpReceiver(() => ({ status: 400, body: "bad request" }));
    const s = createSink<c.StandardLogEntry>({
      transport: createOtlpHttpTransport({ url: receiver.url("/v1/logs") }),
      encode: encodeOtlpLogs,
      flushIntervalMs: 0,
    });
    sink = s;
    s.enqueue(entry(0), 300);
    await until(() => s.health().droppedTotal === 1, 3000);
    const h = s.health();
    expect(h.dropped.rejected).toBe(1);
    expect(h.lastError?.code).toBe("rejected");
    expect(h.emitted).toBe(h.delivered + h.droppedTotal + h.queued + h.inFlight);
  });
});
