import type { GeneralLimits, Sampler, SpanLimits } from "@opentelemetry/sdk-trace-base";
import { sdkTraceBase } from "./otel-sdk.js";
import type { TracingConfig } from "../config/telemetry-config.js";

const { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = sdkTraceBase;

/** OTel's default count limit (attributes, events, links). */
const defaultCount = 128;

/** The sampler `OTEL_TRACES_SAMPLER` / `_ARG` name (resolved in the config, never from `process.env` here). */
export function samplerFromConfig(tracing: TracingConfig): Sampler {
  const ratio = (): Sampler => new TraceIdRatioBasedSampler(tracing.samplerArg);
  switch (tracing.sampler) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio();
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio() });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * The provider's general and span limits from the config's `OTEL_*_LIMIT` values, every field given
 * (OTel's defaults where unset), so the SDK reads nothing from `process.env` itself: the config's
 * environment (a client's `env` option included) is the only one.
 */
export function limitsFromConfig(tracing: TracingConfig): { generalLimits: GeneralLimits; spanLimits: SpanLimits } {
  const l = tracing.limits;
  const valueLength = l.attributeValueLengthLimit ?? Number.POSITIVE_INFINITY;
  const count = l.attributeCountLimit ?? defaultCount;
  return {
    generalLimits: { attributeValueLengthLimit: valueLength, attributeCountLimit: count },
    spanLimits: {
      attributeValueLengthLimit: l.spanAttributeValueLengthLimit ?? valueLength,
      attributeCountLimit: l.spanAttributeCountLimit ?? count,
      eventCountLimit: l.eventCountLimit ?? defaultCount,
      linkCountLimit: l.linkCountLimit ?? defaultCount,
      attributePerEventCountLimit: l.eventAttributeCountLimit ?? defaultCount,
      attributePerLinkCountLimit: l.linkAttributeCountLimit ?? defaultCount,
    },
  };
}
