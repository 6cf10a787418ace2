export type { EncodedBatch, SendResult, Transport } from "./transport.js";
export { TransportError, classifyNodeError } from "./transport-error.js";
export { MsgpackWriter } from "./forward/msgpack-writer.js";
export { createForwardTransport } from "./forward/forward-transport.js";
export {
  forwardTransportDefaults,
  forwardTransportEnv,
  resolveForwardTransportOptions,
  redactForwardTransportOptions,
} from "./forward/forward-transport-options.js";
export type {
  ForwardTlsOptions,
  ForwardTransportOptions,
  ResolvedForwardTransportOptions,
} from "./forward/forward-transport-options.js";
