import type { EncodedBatch, SendResult, Transport } from "./transport.js";
import { TransportError } from "./transport-error.js";

/**
 * A {@link Transport} that rewrites each batch with `transcode` before `inner` sends it: an encoding
 * whose modules load with the transport, on the first send, rather than with the client (OTLP/JSON
 * metrics, transcoded with protobuf-es's reflection). Never throws, never rejects: a batch
 * `transcode` throws on resolves `failed` (`internal`, the reason in the message), and the sink counts it.
 */
export function createTranscodingTransport(inner: Transport, transcode: (batch: EncodedBatch) => EncodedBatch): Transport {
  return {
    name: inner.name,
    send(batch: EncodedBatch, signal?: AbortSignal): Promise<SendResult> {
      let rewritten: EncodedBatch;
      try {
        rewritten = transcode(batch);
      } catch (error: unknown) {
        const reason = error instanceof Error ? error.message : String(error);
        return Promise.resolve({ status: "failed", error: new TransportError(`cannot transcode the batch: ${reason}`, "internal", { cause: error }) });
      }
      return inner.send(rewritten, signal);
    },
    close: () => inner.close(),
  };
}
