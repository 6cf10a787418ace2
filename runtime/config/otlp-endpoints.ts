/** The OTLP signal an exporter or transport carries; it picks the default path `/v1/<signal>`. */
export type OtlpSignal = "traces" | "logs";

/**
 * The signal URL for an OTLP/HTTP base URL, per the OTel exporter spec: `v1/<signal>` appended
 * after exactly one `/` (`http://c:4318` → `http://c:4318/v1/traces`, `http://c:4318/otlp/` →
 * `http://c:4318/otlp/v1/traces`). A signal-specific endpoint is used as is and never goes through
 * this. The base must be a checked http(s) URL; never throws.
 */
export function otlpSignalUrl(baseUrl: string, signal: OtlpSignal): string {
  return `${baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`}v1/${signal}`;
}
