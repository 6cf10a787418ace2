import { type Context, isSpanContextValid, isValidTraceId, ROOT_CONTEXT, SamplingDecision, TraceFlags, trace } from "@opentelemetry/api";
import type { Sampler, SamplingResult } from "@opentelemetry/api";

// OpenTelemetry's standard samplers, decision for decision as its SDK's (sdk-trace 2.x), without
// loading the SDK: their results are shared (no object per span).

const sample: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
const drop: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

/** Samples every span (`always_on`). */
export const alwaysOnSampler: Sampler = { shouldSample: () => sample, toString: () => "AlwaysOnSampler" };

/** Samples no span (`always_off`). */
export const alwaysOffSampler: Sampler = { shouldSample: () => drop, toString: () => "AlwaysOffSampler" };

/** The trace id's four 32-bit parts XORed, as OpenTelemetry's TraceIdRatioBasedSampler accumulates them. */
function accumulate(traceId: string): number {
  let accumulation = 0;
  for (let i = 0; i < 32; i += 8) {
    let part = 0;
    for (let j = 0; j < 8; j++) {
      const c = traceId.charCodeAt(i + j);
      part = (part << 4) | (c < 58 ? c - 48 : c < 71 ? c - 55 : c - 87);
    }
    accumulation = (accumulation ^ part) >>> 0;
  }
  return accumulation;
}

/** Samples the fraction `ratio` (0..1; anything else 0) of traces, by trace id (`traceidratio`). */
export function traceIdRatioSampler(ratio: number): Sampler {
  const r = typeof ratio !== "number" || Number.isNaN(ratio) ? 0 : Math.min(1, Math.max(0, ratio));
  const upperBound = r === 1 ? 0x100000000 : Math.floor(r * 0xffffffff);
  return {
    shouldSample: (_context: Context, traceId: string) => (isValidTraceId(traceId) && accumulate(traceId) < upperBound ? sample : drop),
    toString: () => `TraceIdRatioBased{${r}}`,
  };
}

/** Follows the parent's sampled flag (local or remote); `root` decides for spans without a valid parent (`parentbased_*`). */
export function parentBasedSampler(root: Sampler): Sampler {
  return {
    shouldSample(context, traceId, spanName, spanKind, attributes, links) {
      const parent = context === ROOT_CONTEXT ? undefined : trace.getSpanContext(context); // the root context holds no span
      if (parent === undefined || !isSpanContextValid(parent)) return root.shouldSample(context, traceId, spanName, spanKind, attributes, links);
      return (parent.traceFlags & TraceFlags.SAMPLED) !== 0 ? sample : drop;
    },
    toString: () => `ParentBased{root=${root.toString()}}`,
  };
}
