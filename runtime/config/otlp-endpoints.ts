/** The OTLP signal an exporter or transport carries; it picks the default path `/v1/<signal>`. */
export type OtlpSignal = "traces" | "logs" | "metrics";

/**
 * The OTLP wire protocol of one signal, as `OTEL_EXPORTER_OTLP_[SIGNAL_]PROTOCOL` names it:
 * protobuf over HTTP (the default), JSON over HTTP, or gRPC.
 */
export type OtlpProtocol = "http/protobuf" | "http/json" | "grpc";

/** Every {@link OtlpProtocol}, the default first. */
export const otlpProtocols: readonly OtlpProtocol[] = Object.freeze(["http/protobuf", "http/json", "grpc"]);

/**
 * The signal URL for an OTLP/HTTP base URL, per the OTel exporter spec: `v1/<signal>` appended
 * after exactly one `/` (`http://c:4318` → `http://c:4318/v1/traces`, `http://c:4318/otlp/` →
 * `http://c:4318/otlp/v1/traces`). A signal-specific endpoint is used as is and never goes through
 * this. The base must be a checked http(s) URL; never throws.
 */
export function otlpSignalUrl(baseUrl: string, signal: OtlpSignal): string {
  return `${baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`}v1/${signal}`;
}
