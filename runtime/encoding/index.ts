export { createFluentLogEncoder } from "./fluent-log-encoder.js";
export { encodeOtlpLogs, groupByResource, instrumentationScope } from "./otlp-log-encoder.js";
export { encodeOtlpSpans } from "./otlp-span-encoder.js";
export { hexToBytes, writeAnyValue, writeKeyValues, writeResource, writeScope } from "./otlp-values.js";
export { ProtoWriter, WireType } from "../wire/proto-writer.js";
export type { WireTypeValue } from "../wire/proto-writer.js";
