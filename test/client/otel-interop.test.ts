// Spans made through @opentelemetry/api by any library join the client's traces (own file: the
// global TracerProvider is per process).
import { trace as otelTrace } from "@opentelemetry/api";
import { afterAll, describe, expect, it } from "vitest";
import { startHarness } from "../helpers/client-harness.js";

const harness = await startHarness({ serviceName: "api-server", serviceType: "api", registerGlobal: true });
afterAll(async () => {
  await harness.close();
});

describe("OpenTelemetry API interop", () => {
  it("registers the client's provider globally", () => {
    expect(harness.client.health().registeredGlobally).toBe(true);
  });

  it("puts a library's span, made with the global API, inside the client's span", async () => {
    const library = otelTrace.getTracer("some-db-driver");
    await harness.client.trace.span("http.request", async () => {
      await library.startActiveSpan("db.query", async (span) => {
        harness.client.log.info("query sent");
        span.end();
      });
    });
    const spans = await harness.spans();
    const outer = spans.find((s) => s.name === "http.request")!;
    const inner = spans.find((s) => s.name === "db.query")!;
    expect(inner.traceId).toBe(outer.traceId);
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(inner.resource["service.name"]).toBe("api-server");
    const [record] = await harness.fluentRecords();
    expect(record).toMatchObject({ trace_id: inner.traceId, span_id: inner.spanId });
  });
});
