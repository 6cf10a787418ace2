/**
 * The span limits our spans apply: OpenTelemetry's `SpanLimits` (the SDK's `OTEL_SPAN_*` /
 * `OTEL_ATTRIBUTE_*` settings) without the link limits, since links are not kept.
 */
export interface LeanSpanLimits {
  /** Longest string attribute value; longer ones are cut (Infinity: no limit). */
  attributeValueLengthLimit: number;
  /** Most attributes per span; later ones are dropped. */
  attributeCountLimit: number;
  /** Most events per span; the oldest are dropped first. */
  eventCountLimit: number;
  /** Most attributes per span event. */
  attributePerEventCountLimit: number;
}
