import type { HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import type { OtlpPeer } from "./otlp-failures.js";

/** Where an OTLP check sends, over `peer.protocol`. `headers` hold revealed secrets: never print them. */
export interface OtlpRequestTarget {
  /** The signal URL (HTTP), or an `http(s)://host:port` whose origin gRPC calls. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** PEM text of the CA certificates to trust for `https`, `undefined` = Node's default CAs. */
  readonly ca: string | undefined;
  readonly peer: OtlpPeer;
  /** Revealed secret values, scrubbed from any response text quoted. */
  readonly secrets: readonly string[];
}

/** One OTLP export's result as a hop, with the HTTP status (0 without one, and over gRPC) and when it was accepted. */
export interface OtlpExportResult {
  readonly hop: HopReport;
  readonly httpStatus: number;
  readonly acceptedAtMs: number | undefined;
}
