import type { Sampler } from "@opentelemetry/api";
import type { LeanSpanLimits } from "./span-limits.js";
import type { TracingConfig } from "../config/telemetry-config.js";
import { alwaysOffSampler, alwaysOnSampler, parentBasedSampler, traceIdRatioSampler } from "./samplers.js";

/** OTel's default count limit (attributes, events, links). */
const defaultCount = 128;

/** The sampler `OTEL_TRACES_SAMPLER` / `_ARG` name (resolved in the config, never from `process.env` here); without a config, parent-based always-on. */
export function samplerFromConfig(tracing?: TracingConfig): Sampler {
  if (tracing === undefined) return parentBasedSampler(alwaysOnSampler);
  const ratio = (): Sampler => traceIdRatioSampler(tracing.samplerArg);
  switch (tracing.sampler) {
    case "always_on":
      return alwaysOnSampler;
    case "always_off":
      return alwaysOffSampler;
    case "traceidratio":
      return ratio();
    case "parentbased_always_off":
      return parentBasedSampler(alwaysOffSampler);
    case "parentbased_traceidratio":
      return parentBasedSampler(ratio());
    default:
      return parentBasedSampler(alwaysOnSampler);
  }
}

/**
 * The span limits from the config's `OTEL_*_LIMIT` values (OTel's defaults where unset; without a
 * config, OTel's defaults), so nothing is read from `process.env` here: the config's environment (a
 * client's `env` option included) is the only one.
 */
export function limitsFromConfig(tracing?: TracingConfig): LeanSpanLimits {
  const l = tracing?.limits;
  const valueLength = l?.attributeValueLengthLimit ?? Number.POSITIVE_INFINITY;
  const count = l?.attributeCountLimit ?? defaultCount;
  return {
    attributeValueLengthLimit: l?.spanAttributeValueLengthLimit ?? valueLength,
    attributeCountLimit: l?.spanAttributeCountLimit ?? count,
    eventCountLimit: l?.eventCountLimit ?? defaultCount,
    attributePerEventCountLimit: l?.eventAttributeCountLimit ?? defaultCount,
  };
}
