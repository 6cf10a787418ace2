import { otlpTransportOptionsFromConfig } from "../client/transport-options-from-config.js";
import type { TelemetryConfig } from "../config/telemetry-config.js";
import { emptyTraceExport } from "../diagnostics/otlp/otlp-probe.js";
import { createOtlpHttpTransport } from "../transports/otlp/otlp-http-transport.js";
import { TransportError } from "../transports/transport-error.js";
import type { EncodedBatch, SendResult } from "../transports/transport.js";

/**
 * What `ConnectionManager.ensureOtelConnection()` gives: a keep-alive OTLP/HTTP client for the
 * traces endpoint, warmed by an empty export the receiver accepted (so endpoint, path and
 * credentials are known good and a connection is open). `export` never throws or rejects.
 */
export interface OtelClient {
  /** The traces URL it posts to. */
  readonly endpoint: string;
  /** POSTs an encoded `ExportTraceServiceRequest` (`count` spans); resolves with the receiver's answer. */
  export(batch: EncodedBatch): Promise<SendResult>;
  /** Closes its connections. Never rejects. */
  close(): Promise<void>;
}

/** One attempt at a warmed OTLP client for `config`: a TransportError (never thrown) when traces are off or the warm-up failed. */
export async function openOtelClient(config: TelemetryConfig): Promise<OtelClient | TransportError> {
  try {
    const options = otlpTransportOptionsFromConfig(config, "traces");
    if (options?.url === undefined) return new TransportError("OTLP trace export is off in this configuration", "unavailable");
    const transport = createOtlpHttpTransport(options);
    const body = emptyTraceExport(config.service.name);
    const warm = await transport.send({ body, count: 1, bytes: body.byteLength });
    if (warm.status !== "ok") {
      await transport.close();
      return warm.error;
    }
    return { endpoint: options.url, export: (batch) => transport.send(batch), close: () => transport.close() };
  } catch (error: unknown) {
    return TransportError.from(error, "internal");
  }
}
