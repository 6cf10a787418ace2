// The metrics hot path allocates nothing once a name and an attribute set were seen: a million calls
// run without a single garbage collection (each scavenge would show as a `gc` performance entry).
import { PerformanceObserver, performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";

describe("the metrics hot path", () => {
  it("records a million measurements of seen names and attribute sets without one garbage collection", async () => {
    const client = new EmpTelemetryClient({
      env: {},
      serviceName: "api-server",
      serviceType: "api",
      environment: "test",
      fluentd: { enabled: false },
      otlp: { traces: false },
      handleExitSignals: false,
      registerGlobal: false,
    });
    const m = client.metrics;
    const sets = ["/a", "/b", "/c", "/d"].map((route) => ({ route, method: "GET", status: 200 }));
    const run = (n: number): void => {
      for (let k = 0; k < n; k++) {
        m.counter("requests", 1, sets[k & 3]);
        m.histogram("latency", k & 1023, sets[k & 3]);
        m.gauge("depth", k, sets[k & 3]);
      }
    };
    run(50_000);
    const collections: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) collections.push(e.startTime);
    });
    observer.observe({ entryTypes: ["gc"] });
    await delay(20);
    const start = performance.now();
    run(1_000_000 / 3);
    const end = performance.now();
    await delay(50);
    observer.disconnect();
    expect(collections.filter((t) => t >= start && t <= end)).toEqual([]);
    expect(client.health().metrics).toMatchObject({ instruments: 3, series: 12, droppedTotal: 0 });
    await client.shutdown(100);
  });
});
