// Our samplers against OpenTelemetry SDK's (the oracle): the same decision for random trace ids,
// with no parent, a local or remote parent sampled or not, and an invalid parent.
import { ROOT_CONTEXT, SamplingDecision, SpanKind, trace } from "@opentelemetry/api";
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, type Sampler, TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { newTraceId } from "../../runtime/tracing/span-ids.js";
import { alwaysOffSampler, alwaysOnSampler, parentBasedSampler, traceIdRatioSampler } from "../../runtime/tracing/samplers.js";

const parents = [
  ROOT_CONTEXT,
  ...[0, 1].flatMap((traceFlags) =>
    [false, true].map((isRemote) => trace.setSpanContext(ROOT_CONTEXT, { traceId: "a".repeat(32), spanId: "b".repeat(16), traceFlags, isRemote })),
  ),
  trace.setSpanContext(ROOT_CONTEXT, { traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 1 }),
];

function decisions(sampler: Sampler, ids: readonly string[]): SamplingDecision[] {
  return parents.flatMap((ctx) => ids.map((id) => sampler.shouldSample(ctx, id, "op", SpanKind.INTERNAL, {}, []).decision));
}

describe("samplers", () => {
  const ids = [...Array.from({ length: 400 }, () => newTraceId()), "not-a-trace-id", "0".repeat(32), "F".repeat(32)];
  const cases: [string, Sampler, Sampler][] = [
    ["always_on", alwaysOnSampler, new AlwaysOnSampler()],
    ["always_off", alwaysOffSampler, new AlwaysOffSampler()],
    ...[-1, 0, 0.1, 0.5, 0.999, 1, 2, Number.NaN].map((r): [string, Sampler, Sampler] => [
      `traceidratio ${r}`,
      traceIdRatioSampler(r),
      new TraceIdRatioBasedSampler(r),
    ]),
    ["parentbased_always_on", parentBasedSampler(alwaysOnSampler), new ParentBasedSampler({ root: new AlwaysOnSampler() })],
    ["parentbased_always_off", parentBasedSampler(alwaysOffSampler), new ParentBasedSampler({ root: new AlwaysOffSampler() })],
    ["parentbased_traceidratio 0.3", parentBasedSampler(traceIdRatioSampler(0.3)), new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.3) })],
  ];
  it.each(cases)("%s decides as OpenTelemetry's SDK", (_name, ours, sdk) => {
    expect(decisions(ours, ids)).toEqual(decisions(sdk, ids));
  });

  it("samples about the ratio of random traces", () => {
    const sampled = decisions(traceIdRatioSampler(0.5), ids.slice(0, 400)).slice(0, 400);
    const share = sampled.filter((d) => d === SamplingDecision.RECORD_AND_SAMPLED).length / 400;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
  });
});
