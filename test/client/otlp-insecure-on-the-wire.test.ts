// OTEL_EXPORTER_OTLP_INSECURE with a gRPC `host:port` endpoint, seen by an independent gRPC server (@grpc/grpc-js):
// `false` speaks TLS (to a server trusted through OTEL_EXPORTER_OTLP_CERTIFICATE), `true` plain text.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EmpTelemetryClient } from "../../runtime/client/emp-telemetry-client.js";
import { cleanupsAfterEach } from "../helpers/cleanups.js";
import { tempDir } from "../helpers/daemons.js";
import { type GrpcOtlpReceiver, startGrpcOtlpReceiver } from "../helpers/grpc-otlp-receiver.js";
import { selfSignedCertificate } from "../helpers/self-signed.js";

const cleanups = cleanupsAfterEach();

/** Sends one span to `receiver` as `127.0.0.1:<port>` (no scheme) with `env`, flushing up to `flushMs`; returns the span names it got. */
async function spanNamesAt(receiver: GrpcOtlpReceiver, env: Record<string, string>, flushMs = 3000): Promise<string[]> {
  const client = new EmpTelemetryClient({
    serviceType: "api",
    handleExitSignals: false,
    registerGlobal: false,
    fluentd: { enabled: false },
    env: { SERVICE_NAME: "insecure", TELEMETRY_ENV: "test", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `127.0.0.1:${String(receiver.port)}`, ...env },
  });
  cleanups.push(() => client.shutdown(0));
  client.trace.span("over-grpc", () => 1);
  await client.flush(flushMs);
  interface Decoded {
    resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
  }
  const requests = receiver.requests.filter((r) => r.signal === "traces").map((r) => r.request as Decoded);
  return requests.flatMap((q) => q.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))));
}

describe("OTEL_EXPORTER_OTLP_INSECURE on the wire", () => {
  it("false: TLS to host:port, trusting the CA file", async () => {
    const tls = selfSignedCertificate();
    const dir = tempDir("insecure-");
    cleanups.push(async () => dir.remove());
    const ca = join(dir.dir, "ca.pem");
    writeFileSync(ca, tls.cert);
    const receiver = await startGrpcOtlpReceiver(tls);
    cleanups.push(() => receiver.close());
    expect(await spanNamesAt(receiver, { OTEL_EXPORTER_OTLP_INSECURE: "false", OTEL_EXPORTER_OTLP_CERTIFICATE: ca })).toEqual(["over-grpc"]);
  });

  it("true: plain text to host:port; a TLS-only server gets nothing then", async () => {
    const plain = await startGrpcOtlpReceiver();
    cleanups.push(() => plain.close());
    expect(await spanNamesAt(plain, { OTEL_EXPORTER_OTLP_TRACES_INSECURE: "true" })).toEqual(["over-grpc"]);
    const tlsOnly = await startGrpcOtlpReceiver(selfSignedCertificate());
    cleanups.push(() => tlsOnly.close());
    expect(await spanNamesAt(tlsOnly, { OTEL_EXPORTER_OTLP_TRACES_INSECURE: "true" }, 600)).toEqual([]);
  });
});
