// Fault injection on the OTLP/HTTP path: the sink + createOtlpHttpTransport against a scripted OTLP
// receiver (decoding with protobuf-es from the real OTLP protos): a 503 storm, 429 with Retry-After,
// responses slower than the timeout, connection resets, and a 200 whose partial_success rejects records.
import { describe, expect, it } from "vitest";
import * as c from "../../generated/index.js";
import { encodeOtlpLogs } from "../../runtime/encoding/otlp-log-encoder.js";
import { createSink, type Sink } from "../../runtime/reliability/sink/sink.js";
import { deliveryIdentityHolds } from "../../runtime/reliability/delivery-accounting.js";
import type { SinkOptions } from "../../runtime/reliability/sink/options.js";
import { createOtlpHttpTransport } from "../../runtime/transports/otlp/otlp-http-transport.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { partialSuccessBody, startOtlpReceiver, type OtlpReceiver, type ScriptedResponse } from "../helpers/otlp-receiver.js";
import { identityText } from "../helpers/restart-drill.js";
import { until } from "../helpers/until.js";

const cleanups = cleanupsAfterEach();

const entry = (i: number): c.StandardLogEntry =>
  c.buildStandardLogEntry({
    timeUnixNano: 1764314558_000000000n + BigInt(i),
    level: c.LogLevel.INFO,
    message: `entry ${i}`,
    service: { name: "faults", type: c.ServiceType.API, environment: "test" },
  });

async function receiver(respond?: () => ScriptedResponse): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver(respond);
  cleanups.push(() => r.close());
  return r;
}

function otlpSink(r: OtlpReceiver, options: Partial<SinkOptions<c.StandardLogEntry>> & { timeoutMs?: number } = {}): Sink<c.StandardLogEntry> {
  const { timeoutMs, ...sinkOptions } = options;
  const sink = createSink<c.StandardLogEntry>({
    transport: createOtlpHttpTransport({ url: r.url("/v1/logs"), ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
    encode: encodeOtlpLogs,
    flushIntervalMs: 0,
    maxBatchRecords: 50,
    backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    breaker: { failureThreshold: 5, cooldownMs: 50, maxCooldownMs: 100 },
    ...sinkOptions,
  });
  cleanups.push(() => sink.shutdown(500));
  return sink;
}

/** The entry numbers the receiver got, duplicates included. */
function received(r: OtlpReceiver): number[] {
  return r
    .logs()
    .flatMap((req) => req.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((lr) => Number(String(lr.body?.value.value).slice(6))))));
}

function enqueue(sink: Sink<c.StandardLogEntry>, count: number): void {
  for (let i = 0; i < count; i++) sink.enqueue(entry(i), 300);
}

describe("a sink on the OTLP/HTTP transport under endpoint faults", () => {
  it("rides out a storm of 30 × 503 (breaker open and closed again) and delivers every record once accepted", { timeout: 15_000 }, async () => {
    let answered = 0;
    const r = await receiver(() => (answered++ < 30 ? { status: 503, body: "overloaded" } : { status: 200 }));
    const transitions: string[] = [];
    const sink = otlpSink(r, { breaker: { failureThreshold: 5, cooldownMs: 20, maxCooldownMs: 40, onStateChange: (t) => transitions.push(t.to) } });
    enqueue(sink, 200);
    const report = await sink.flush(10_000);
    expect(report.status, identityText(report.health)).toBe("complete");
    const h = sink.health();
    expect(h).toMatchObject({ emitted: 200, delivered: 200, droppedTotal: 0, breakerState: "closed" });
    expect(new Set(received(r)).size).toBe(200); // 503s were refused, so nothing arrived twice
    expect(h.resent).toBeGreaterThanOrEqual(30);
    expect(transitions).toContain("open");
    expect(deliveryIdentityHolds(h)).toBe(true);
  });

  it("waits out 429 Retry-After before resending, with no request in between", { timeout: 15_000 }, async () => {
    const r = await receiver();
    r.script({ status: 429, headers: { "retry-after": "1" } });
    const sink = otlpSink(r, { backoff: { initialDelayMs: 5, maxDelayMs: 5000 } }); // maxDelayMs also caps Retry-After
    enqueue(sink, 10);
    await until(() => sink.health().delivered === 10, 5000);
    const [first, second] = r.requests;
    expect(r.requests).toHaveLength(2);
    expect(second!.receivedAtMs - first!.receivedAtMs).toBeGreaterThanOrEqual(990);
    expect(sink.health()).toMatchObject({ delivered: 10, resent: 10, droppedTotal: 0 });
  });

  it("resends after responses slower than the timeout, every duplicate covered by a counted resend", { timeout: 15_000 }, async () => {
    const r = await receiver();
    r.script({ delayMs: 400 }, { delayMs: 400 }, { delayMs: 400 });
    const sink = otlpSink(r, { timeoutMs: 100 });
    enqueue(sink, 50);
    const report = await sink.flush(10_000);
    expect(report.status, identityText(report.health)).toBe("complete");
    const seqs = received(r);
    const h = sink.health();
    expect(new Set(seqs).size).toBe(50);
    expect(h).toMatchObject({ emitted: 50, delivered: 50, droppedTotal: 0, lastError: { code: "unavailable" } });
    expect(h.lastError?.message).toContain("no response within 100 ms");
    expect(seqs.length - 50).toBeLessThanOrEqual(h.resent); // the slow answers still processed the batch
    expect(h.resent).toBe(150);
  });

  it("resends after connection resets and delivers everything", { timeout: 15_000 }, async () => {
    const r = await receiver();
    r.script({ reset: true }, { reset: true }, { reset: true }, { reset: true });
    const sink = otlpSink(r);
    enqueue(sink, 120);
    const report = await sink.flush(10_000);
    expect(report.status, identityText(report.health)).toBe("complete");
    expect(new Set(received(r)).size).toBe(120);
    const h = sink.health();
    expect(h).toMatchObject({ emitted: 120, delivered: 120, droppedTotal: 0, resent: 200 });
    expect(r.connections).toBeGreaterThanOrEqual(5);
  });

  it("counts the records a 200 partial_success rejects as dropped rejected, the rest as delivered, and resends none", { timeout: 15_000 }, async () => {
    const r = await receiver(() => ({ status: 200, headers: { "content-type": "application/x-protobuf" }, body: partialSuccessBody(7, "timestamp too old") }));
    const diagnostics: string[] = [];
    const sink = otlpSink(r, { onDiagnostic: (m) => diagnostics.push(m) });
    enqueue(sink, 100); // two batches of 50, each with 7 rejected
    const report = await sink.flush(5000);
    expect(report.status).toBe("complete");
    const h = sink.health();
    expect(h).toMatchObject({ emitted: 100, delivered: 86, droppedTotal: 14, dropped: { rejected: 14 }, resent: 0, queued: 0, inFlight: 0 });
    expect(h.lastError).toMatchObject({ code: "rejected", message: "receiver rejected 7 of 50 records (partial success): timestamp too old" });
    expect(r.requests).toHaveLength(2);
    expect(diagnostics).toHaveLength(1);
    expect(deliveryIdentityHolds(h), identityText(h)).toBe(true);
  });
});
