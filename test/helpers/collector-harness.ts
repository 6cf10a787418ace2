/**
 * Helpers for the local collector's tests: a collector on ephemeral ports closed after each test,
 * waiting for records by event (bounded, no sleeps), and contract-valid records to send.
 */
import * as c from "../../generated/index.js";
import { startCollector, type Collector } from "../../runtime/collector/collector.js";
import type { CollectorOptions } from "../../runtime/collector/collector-options.js";
import type { ReceivedRecord } from "../../runtime/collector/collector-records.js";

/** Every port ephemeral. */
export const ephemeralPorts = Object.freeze({ forwardPort: 0, httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0, dash0Port: 0, statusPort: 0 });

/** Starts a collector on ephemeral ports and pushes its `close()` onto `cleanups`. */
export async function startTestCollector(cleanups: Array<() => Promise<unknown>>, options: CollectorOptions = {}): Promise<Collector> {
  const collector = await startCollector({ ...ephemeralPorts, ...options });
  cleanups.push(() => collector.close());
  return collector;
}

/**
 * Resolves with the records stored from now on once `count` of them (matching `filter`) arrived;
 * rejects after `timeoutMs`. Call it before sending.
 */
export function nextRecords(
  collector: Collector,
  count: number,
  timeoutMs = 5000,
  filter: (r: ReceivedRecord) => boolean = () => true,
): Promise<ReceivedRecord[]> {
  return new Promise((resolve, reject) => {
    const got: ReceivedRecord[] = [];
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`only ${got.length} of ${count} records arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = collector.onRecord((r) => {
      if (!filter(r)) return;
      got.push(r);
      if (got.length < count) return;
      clearTimeout(timer);
      stop();
      resolve(got);
    });
  });
}

/** Resolves once `cond()` holds, awaiting each stored record (or a 20 ms tick); rejects after `timeoutMs`. */
export async function untilCollector(collector: Collector, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, 20);
      const stop = collector.onRecord(done);
      function done(): void {
        clearTimeout(t);
        stop();
        resolve();
      }
    });
  }
}

/** A service of the contract, every required field set. */
export const testService = Object.freeze({ name: "collector-test", type: c.ServiceType.API, environment: "test", version: "1.0.0", host: "test-host" });

/** A valid log entry (the client's shape), with `data` from plain values. */
export function validLogEntry(
  message: string,
  data: Record<string, unknown> = {},
  service: Parameters<typeof c.buildServiceMetadata>[0] = testService,
): c.StandardLogEntry {
  return c.buildStandardLogEntry({
    timeUnixNano: BigInt(Date.now()) * 1_000_000n + 123n,
    level: c.LogLevel.INFO,
    message,
    service,
    data: c.mapValueFromPlain(data).fields,
  });
}

/** A valid span (the client's shape). */
export function validSpan(name: string, attributes: Record<string, unknown> = {}): c.StandardTraceSpan {
  const start = BigInt(Date.now()) * 1_000_000n;
  return c.buildStandardTraceSpan({
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    name,
    kind: c.SpanKind.SERVER,
    service: testService,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 5_000_000n,
    status: { code: c.StatusCode.OK },
    attributes: c.mapValueFromPlain(attributes).fields,
    events: [{ name: "job.claimed", timeUnixNano: start + 1000n, attributes: c.mapValueFromPlain({ "emp.job.id": "j-1" }).fields }],
  });
}

/** GETs JSON from the collector's status server. */
export async function getJson<T = unknown>(collector: Collector, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${collector.ports.status}${path}`);
  return (await res.json()) as T;
}
