/** The samplers of the OTel spec (`OTEL_TRACES_SAMPLER`) that the tracer provider builds. */
export type TraceSamplerName = "always_on" | "always_off" | "traceidratio" | "parentbased_always_on" | "parentbased_always_off" | "parentbased_traceidratio";

/** Every {@link TraceSamplerName}. */
export const traceSamplerNames: readonly TraceSamplerName[] = Object.freeze([
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
]);
