export { createFluentLogEncoder } from "./fluent-log-encoder.js";
export { encodeOtlpLogs, instrumentationScope } from "./otlp-log-encoder.js";
export { hexToBytes, toAnyValue, toKeyValues } from "./otlp-values.js";
export { encodeOtlpSpans } from "./otlp-span-encoder.js";
