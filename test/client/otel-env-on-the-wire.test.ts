// OTEL_RESOURCE_ATTRIBUTES, the sampler and the span limits, seen on the wire by an independent OTLP decoder.
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/client-harness.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(env: Record<string, string>): Promise<Harness> {
  harness = await startHarness({ serviceName: "api-server", serviceType: "api", env });
  return harness;
}

describe("the standard variables on the wire", () => {
  it("puts OTEL_RESOURCE_ATTRIBUTES on span and OTLP log resources, ours winning on a clash", async () => {
    const h = await start({ OTEL_RESOURCE_ATTRIBUTES: "team=gpu%20infra,service.name=impostor,cloud.region=us-east-1" });
    await h.client.trace.span("op", async () => h.client.log.info("inside"));
    const [span] = await h.spans();
    const [log] = await h.otlpLogs();
    for (const resource of [span?.resource, log?.resource]) {
      expect(resource).toMatchObject({ team: "gpu infra", "cloud.region": "us-east-1", "service.name": "api-server" });
    }
  });

  it("OTEL_TRACES_SAMPLER=always_off exports no span; logs still flow", async () => {
    const h = await start({ OTEL_TRACES_SAMPLER: "always_off" });
    await h.client.trace.span("dropped", async () => h.client.log.info("kept"));
    expect(await h.spans()).toEqual([]);
    expect((await h.otlpLogs()).map((l) => l.body)).toEqual(["kept"]);
  });

  it("OTEL_TRACES_SAMPLER=traceidratio with ratio 0 samples nothing, with ratio 1 everything", async () => {
    const h = await start({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0" });
    for (let i = 0; i < 20; i++) await h.client.trace.span(`s${String(i)}`, async () => undefined);
    expect(await h.spans()).toEqual([]);
    await h.close();
    const all = await start({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "1" });
    for (let i = 0; i < 5; i++) await all.client.trace.span(`s${String(i)}`, async () => undefined);
    expect((await all.spans()).length).toBe(5);
  });

  it("passes the span limits to the provider: events beyond OTEL_SPAN_EVENT_COUNT_LIMIT are dropped", async () => {
    const h = await start({ OTEL_SPAN_EVENT_COUNT_LIMIT: "2" });
    await h.client.trace.span("busy", async () => {
      for (let i = 0; i < 5; i++) h.client.trace.event(`e${String(i)}`);
    });
    const [span] = await h.spans();
    expect(span?.events.map((e) => e.name)).toEqual(["e3", "e4"]);
  });
});
