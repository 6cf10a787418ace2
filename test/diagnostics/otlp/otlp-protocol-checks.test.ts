/**
 * `otel()`, `dash0()` and `endToEnd()` speak the signal's configured protocol (issue 14 item 1's
 * follow-up): over `grpc` an empty Export to a grpc-js receiver (independent of connect and our
 * encoders) or the local collector's OTLP/gRPC input, the gRPC status reported; over `http/json` an
 * OTLP/JSON body with `application/json`. Healthy and failing receivers on 127.0.0.1.
 */
import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExportTraceServiceRequestSchema } from "../../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { validateOtelHealthReport } from "../../../generated/index.js";
import { resolveTelemetryConfig } from "../../../runtime/config/resolve-config.js";
import type { TelemetryConfigOptions } from "../../../runtime/config/telemetry-config.js";
import { createPipelineTests } from "../../../runtime/diagnostics/pipeline-tests.js";
import { cleanupsAfterEach } from "../../helpers/cleanups.js";
import { startTestCollector } from "../../helpers/collector-harness.js";
import { freePorts } from "../../helpers/daemons.js";
import { startGrpcOtlpReceiver } from "../../helpers/grpc-otlp-receiver.js";
import { startOtlpReceiver } from "../../helpers/otlp-receiver.js";

const cleanups = cleanupsAfterEach();
const token = "grpc-token-5d81c2e7";

type OtlpOptions = NonNullable<TelemetryConfigOptions["otlp"]>;

function tests(otlp: OtlpOptions, timeoutMs = 2000, extra: { collectorUrl?: string } = {}) {
  const config = resolveTelemetryConfig(
    {
      serviceName: "diag-test",
      serviceType: "api",
      environment: "test",
      fluentd: { enabled: false },
      otlp: { traces: true, logs: false, gzip: false, ...otlp },
    },
    {},
  );
  return createPipelineTests(config, { timeoutMs, pollIntervalMs: 20, ...extra });
}

async function grpcReceiver() {
  const r = await startGrpcOtlpReceiver();
  cleanups.push(() => r.close());
  return r;
}

describe("otel() over grpc", () => {
  it("sends an empty TraceService/Export with the headers as metadata and passes on OK", async () => {
    const r = await grpcReceiver();
    const report = await tests({ endpoint: r.url, protocol: "grpc", headers: { "x-tenant": "emp" } }).otel();
    expect([report.ok, report.httpStatus, report.hop?.hop, report.endpoint]).toEqual([true, 0, "otel", `${r.url}/`]);
    expect(validateOtelHealthReport(report)).toEqual([]);
    expect(r.requests).toHaveLength(1);
    const [request] = r.requests;
    expect([request?.signal, request?.metadata["x-tenant"], request?.encoding]).toEqual(["traces", "emp", undefined]);
    const [resourceSpans] = request?.request.resourceSpans ?? [];
    expect(resourceSpans.resource.attributes).toEqual([{ key: "service.name", value: { stringValue: "diag-test" } }]);
    expect(resourceSpans.scopeSpans ?? []).toEqual([]);
  });

  it("sends LogsService/Export when only logs are exported", async () => {
    const r = await grpcReceiver();
    const report = await tests({ endpoint: r.url, protocol: "grpc", traces: false, logs: true }).otel();
    expect(report.ok).toBe(true);
    expect(r.requests.map((q) => q.signal)).toEqual(["logs"]);
  });

  it("gzips even the tiny empty export when compression is configured (grpc-encoding gzip, compressed flag set)", async () => {
    // A bare HTTP/2 server: grpc-js hides grpc-encoding, so the frame's own flag is read here, and gunzipped.
    const seen: { encoding: unknown; flag: number | undefined; message: Buffer | undefined }[] = [];
    const server = createServer();
    server.on("stream", (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const body = Buffer.concat(chunks);
        seen.push({ encoding: headers["grpc-encoding"], flag: body[0], message: body[0] === 1 ? gunzipSync(body.subarray(5)) : undefined });
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;
    const report = await tests({ endpoint: `http://127.0.0.1:${port}`, protocol: "grpc", gzip: true }).otel();
    expect(report.ok).toBe(true);
    expect(seen.map((s) => [s.encoding, s.flag])).toEqual([["gzip", 1]]);
    const decoded = fromBinary(ExportTraceServiceRequestSchema, seen[0]?.message ?? new Uint8Array());
    expect(decoded.resourceSpans.map((rs) => rs.resource?.attributes[0]?.value?.value.value)).toEqual(["diag-test"]);
  });

  it("explains a refused port with the gRPC port in the remediation", async () => {
    const [port] = await freePorts(1);
    const report = await tests({ endpoint: `http://127.0.0.1:${port}`, protocol: "grpc" }).otel();
    expect(report.ok).toBe(false);
    expect(report.hop?.error).toBe(`Nothing is listening at 127.0.0.1:${port} (connection refused).`);
    expect(report.hop?.remediation).toBe("Check OTEL_EXPORTER_OTLP_ENDPOINT (host and port; OTLP/gRPC is usually 4317) and that the collector is running.");
  });

  it("reports UNAUTHENTICATED with the auth hint, the token scrubbed from the quoted status message", async () => {
    const r = await grpcReceiver();
    r.script({ code: 16, message: `invalid token ${token}` });
    const report = await tests({ endpoint: r.url, protocol: "grpc", headers: { authorization: `Bearer ${token}` } }).otel();
    expect(report.ok).toBe(false);
    expect(report.hop?.error).toBe(
      `${report.endpoint} answered gRPC UNAUTHENTICATED: it wants credentials we did not send or does not accept. It answered: "invalid token [redacted]".`,
    );
    expect(report.hop?.remediation).toBe("Check OTEL_EXPORTER_OTLP_HEADERS (e.g. Authorization=Bearer <token>).");
    expect(r.requests[0]?.metadata.authorization).toBe(`Bearer ${token}`);
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it("reports UNAVAILABLE and PERMISSION_DENIED each with its own text", async () => {
    const r = await grpcReceiver();
    r.script({ code: 14, message: "draining" }, { code: 7, message: "" });
    const check = tests({ endpoint: r.url, protocol: "grpc" });
    const unavailable = await check.otel();
    expect(unavailable.hop?.error).toBe(`${r.url}/ is overloaded or unavailable (gRPC UNAVAILABLE: draining).`);
    const denied = await check.otel();
    expect(denied.hop?.error).toBe(`${r.url}/ answered gRPC PERMISSION_DENIED: the credentials are not allowed to write here.`);
  });

  it("reports a partial success rejecting spans as a failure", async () => {
    const r = await grpcReceiver();
    r.script({ partialSuccess: { rejected: 3, errorMessage: "spans too old" } });
    const report = await tests({ endpoint: r.url, protocol: "grpc" }).otel();
    expect(report.ok).toBe(false);
    expect(report.hop?.error).toBe(`${report.endpoint} accepted the export but rejected 3 item(s): spans too old.`);
  });

  it("gives up at the deadline when the receiver does not answer", async () => {
    const r = await grpcReceiver();
    r.script({ delayMs: 1500 });
    const started = performance.now();
    const report = await tests({ endpoint: r.url, protocol: "grpc" }, 300).otel();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(report.hop?.error).toBe(`No answer from ${report.endpoint} within 300 ms.`);
  });

  it("tells an OTLP/HTTP (HTTP/1.1) receiver on the gRPC endpoint apart", async () => {
    const http = await startOtlpReceiver();
    cleanups.push(() => http.close());
    const report = await tests({ endpoint: http.url(), protocol: "grpc" }).otel();
    expect(report.ok).toBe(false);
    expect(report.hop?.error).toBe(`${http.url()} did not answer in gRPC (it closed the connection or does not speak HTTP/2).`);
    expect(report.hop?.remediation).toContain("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
  });

  it("passes against the local collector's OTLP/gRPC input, and endToEnd() sees the probe there", async () => {
    const collector = await startTestCollector(cleanups);
    const endpoint = `http://127.0.0.1:${collector.ports.otlpGrpc}`;
    const check = tests({ endpoint, protocol: "grpc", logs: true }, 3000, { collectorUrl: `http://127.0.0.1:${collector.ports.status}` });
    expect((await check.otel()).ok).toBe(true);
    const report = await check.endToEnd();
    expect(report.hops.map((h) => [h.hop, h.ok, h.acceptedOnly])).toEqual([
      ["app->otlp (logs)", true, false],
      ["otlp (logs)->collector", true, false],
      ["app->otlp (traces)", true, false],
      ["otlp (traces)->collector", true, false],
    ]);
    expect(collector.probe(report.probeId).seen.otlpGrpc?.atMs).toBeGreaterThan(0);
  });
});

describe("dash0() over grpc", () => {
  it("tells a rejected token apart (UNAUTHENTICATED), never showing it", async () => {
    const r = await grpcReceiver();
    r.script({ code: 16, message: "unauthenticated" });
    const config = resolveTelemetryConfig(
      {
        serviceName: "diag-test",
        serviceType: "api",
        environment: "test",
        fluentd: { enabled: false },
        otlp: { protocol: "grpc", traces: true, logs: false },
        dash0: { endpoint: r.url, apiKey: token },
      },
      {},
    );
    const report = await createPipelineTests(config, { timeoutMs: 2000 }).dash0();
    expect(report.ok).toBe(false);
    expect(report.hop?.error).toBe('Dash0 rejected the token (gRPC UNAUTHENTICATED). It answered: "unauthenticated".');
    expect(report.hop?.remediation).toContain("DASH0_API_KEY");
    expect(r.requests[0]?.metadata.authorization).toBe(`Bearer ${token}`);
    expect(JSON.stringify(report)).not.toContain(token);
  });
});

describe("otel() over http/json", () => {
  it("posts the empty export as OTLP/JSON with application/json and passes on 200", async () => {
    const r = await startOtlpReceiver();
    cleanups.push(() => r.close());
    const report = await tests({ endpoint: r.url(), protocol: "http/json" }).otel();
    expect([report.ok, report.httpStatus]).toEqual([true, 200]);
    const [request] = r.requests;
    expect([request?.path, request?.headers["content-type"]]).toEqual(["/v1/traces", "application/json"]);
    expect(JSON.parse(Buffer.from(request?.body ?? []).toString("utf8"))).toEqual({
      resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "diag-test" } }] } }],
    });
  });

  it("reads a JSON partialSuccess and explains a 415 in JSON's terms", async () => {
    const r = await startOtlpReceiver();
    cleanups.push(() => r.close());
    r.script(
      { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ partialSuccess: { rejectedSpans: "2", errorMessage: "no" } }) },
      { status: 415 },
    );
    const check = tests({ endpoint: r.url(), protocol: "http/json" });
    expect((await check.otel()).hop?.error).toBe(`${r.url("/v1/traces")} accepted the export but rejected 2 item(s): no.`);
    expect((await check.otel()).hop?.error).toBe(
      `${r.url("/v1/traces")} answered HTTP 415 Unsupported Media Type: it does not take OTLP JSON (application/json).`,
    );
  });
});
