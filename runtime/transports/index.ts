export type { EncodedBatch, PartialSuccess, SendResult, Transport } from "./transport.js";
export { TransportError, classifyNodeError } from "./transport-error.js";
export { MsgpackWriter } from "../wire/msgpack-writer.js";
export { createLazyTransport } from "./lazy-transport.js";
export { createForwardTransport } from "./forward/forward-transport.js";
export type { ForwardBatch } from "./forward/forward-transport.js";
export {
  forwardTransportDefaults,
  resolveForwardTransportOptions,
  redactForwardTransportOptions,
} from "./forward/forward-transport-options.js";
export type {
  ForwardTlsOptions,
  ForwardTransportOptions,
  ResolvedForwardTransportOptions,
} from "./forward/forward-transport-options.js";
export { createOtlpHttpTransport } from "./otlp/otlp-http-transport.js";
export {
  otlpExporterDefaults,
  otlpSignals,
  resolveOtlpExporterOptions,
  redactOtlpExporterOptions,
} from "./otlp/otlp-options.js";
export type { Dash0Target, OtlpExporterOptions, OtlpSignal, ResolvedOtlpExporterOptions } from "./otlp/otlp-options.js";
export { decodePartialSuccess } from "./otlp/partial-success.js";
export { parseRetryAfterMs } from "./http/http-result.js";
export { httpConnectionDefaults } from "./http/http-options.js";
export type { HttpConnectionOptions, ResolvedHttpConnectionOptions } from "./http/http-options.js";
export { createFluentdHttpTransport } from "./fluentd-http/fluentd-http-transport.js";
export type { FluentdHttpBatch } from "./fluentd-http/fluentd-http-transport.js";
export {
  fluentdHttpTransportDefaults,
  resolveFluentdHttpTransportOptions,
  redactFluentdHttpTransportOptions,
} from "./fluentd-http/fluentd-http-options.js";
export type { FluentdHttpTransportOptions, ResolvedFluentdHttpTransportOptions } from "./fluentd-http/fluentd-http-options.js";
export { createFileTransport } from "./file/file-transport.js";
export { fileTransportDefaults, resolveFileTransportOptions } from "./file/file-transport-options.js";
export type { FileTransportOptions, ResolvedFileTransportOptions } from "./file/file-transport-options.js";
