/**
 * `telemetry.test.otel()` and `telemetry.test.dash0()` against scripted OTLP receivers on 127.0.0.1:
 * the empty export on the wire, and one distinct error and remediation per failure mode.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExportTraceServiceRequestSchema } from "../../../generated/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import { validateDash0HealthReport, validateOtelHealthReport } from "../../../generated/index.js";
import { createPipelineTests } from "../../../runtime/diagnostics/pipeline-tests.js";
import { cleanupsAfterEach } from "../../helpers/cleanups.js";
import { freePorts } from "../../helpers/daemons.js";
import { diagnosticsConfig } from "../../helpers/diagnostics-config.js";
import { partialSuccessBody, startOtlpReceiver, type ScriptedResponse } from "../../helpers/otlp-receiver.js";

const cleanups = cleanupsAfterEach();

async function receiver(...script: ScriptedResponse[]) {
  const r = await startOtlpReceiver();
  r.script(...script);
  cleanups.push(() => r.close());
  return r;
}

function otelTests(endpoint: string, options: { headers?: Record<string, string>; gzip?: boolean; timeoutMs?: number; full?: boolean } = {}) {
  const otlp = {
    ...(options.full === true ? { tracesEndpoint: endpoint } : { endpoint }),
    ...(options.headers ? { headers: options.headers } : {}),
    gzip: options.gzip ?? false,
  };
  return createPipelineTests(diagnosticsConfig({ otlp }), { timeoutMs: options.timeoutMs ?? 2000 });
}

function dash0Tests(endpoint: string, dataset?: string, timeoutMs = 2000) {
  return createPipelineTests(diagnosticsConfig({ dash0: { endpoint, apiKey: "dash0-token-7f3a9c", ...(dataset === undefined ? {} : { dataset }) } }), {
    timeoutMs,
  });
}

describe("otel()", () => {
  it("posts an empty ExportTraceServiceRequest with the configured headers and passes on 200", async () => {
    const r = await receiver();
    const report = await otelTests(r.url(), { headers: { "x-tenant": "emp" } }).otel();
    expect(report.ok).toBe(true);
    expect(report.httpStatus).toBe(200);
    expect(report.endpoint).toBe(r.url("/v1/traces"));
    expect(report.hop?.hop).toBe("otel");
    expect(validateOtelHealthReport(report)).toEqual([]);
    const [request] = r.requests;
    expect(request?.path).toBe("/v1/traces");
    expect(request?.headers["content-type"]).toBe("application/x-protobuf");
    expect(request?.headers["x-tenant"]).toBe("emp");
    const body = fromBinary(ExportTraceServiceRequestSchema, request?.body ?? new Uint8Array());
    expect(body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))).toHaveLength(0);
  });

  it("gzips the empty export when compression is configured", async () => {
    const r = await receiver();
    expect((await otelTests(r.url(), { gzip: true }).otel()).ok).toBe(true);
    expect(r.requests[0]?.headers["content-encoding"]).toBe("gzip");
  });

  it("counts a partial success with nothing rejected as ok", async () => {
    const r = await receiver({ status: 200, body: partialSuccessBody(0, "spans were fine") });
    expect((await otelTests(r.url()).otel()).ok).toBe(true);
  });

  it("explains a 404 caused by /v1/traces in the URL twice", async () => {
    const r = await receiver({ status: 404 });
    const report = await otelTests(r.url("/v1/traces/v1/traces"), { full: true }).otel();
    expect(report.ok).toBe(false);
    expect(report.httpStatus).toBe(404);
    expect(report.hop?.error).toBe(
      `${r.url("/v1/traces/v1/traces")} answered HTTP 404 Not Found: there is no OTLP receiver at that path (the URL has /v1/traces twice).`,
    );
    expect(report.hop?.remediation).toBe(
      "Check OTEL_EXPORTER_OTLP_ENDPOINT: it is the base URL (e.g. http://collector:4318) and /v1/traces is appended, " +
        "so did you include /v1/traces twice? A full URL belongs in OTEL_EXPORTER_OTLP_TRACES_ENDPOINT instead.",
    );
  });

  it("explains a 404 on a wrong base path and asks whether /v1/traces was included twice", async () => {
    const r = await receiver({ status: 404 });
    const hop = (await otelTests(r.url("/otlp")).otel()).hop;
    expect(hop?.error).toBe(`${r.url("/otlp/v1/traces")} answered HTTP 404 Not Found: there is no OTLP receiver at that path.`);
    expect(hop?.remediation).toContain("did you include /v1/traces twice?");
  });

  it("explains a 415 as a receiver that does not take OTLP protobuf", async () => {
    const r = await receiver({ status: 415 });
    const hop = (await otelTests(r.url(), { gzip: true }).otel()).hop;
    expect(hop?.error).toBe(`${r.url("/v1/traces")} answered HTTP 415 Unsupported Media Type: it does not take OTLP protobuf (application/x-protobuf, gzip).`);
    expect(hop?.remediation).toBe(
      "Check OTEL_EXPORTER_OTLP_ENDPOINT points at an OTLP/HTTP receiver (port 4318; 4317 is gRPC), " +
        "and set OTEL_EXPORTER_OTLP_COMPRESSION=none if it cannot take gzip.",
    );
  });

  it("explains a 401 naming OTEL_EXPORTER_OTLP_HEADERS", async () => {
    const r = await receiver({ status: 401 });
    const hop = (await otelTests(r.url()).otel()).hop;
    expect(hop?.error).toBe(`${r.url("/v1/traces")} answered HTTP 401 Unauthorized: it wants credentials we did not send or does not accept.`);
    expect(hop?.remediation).toBe("Check OTEL_EXPORTER_OTLP_HEADERS (e.g. Authorization=Bearer <token>).");
  });

  it("explains a 403 as credentials without permission", async () => {
    const r = await receiver({ status: 403 });
    const hop = (await otelTests(r.url()).otel()).hop;
    expect(hop?.error).toBe(`${r.url("/v1/traces")} answered HTTP 403 Forbidden: the credentials are not allowed to write here.`);
    expect(hop?.remediation).toContain("OTEL_EXPORTER_OTLP_HEADERS");
  });

  it("explains a 503 as an overloaded receiver, quoting its answer", async () => {
    const r = await receiver({ status: 503, body: "queue full" });
    const hop = (await otelTests(r.url()).otel()).hop;
    expect(hop?.error).toBe(`${r.url("/v1/traces")} is overloaded or unavailable (HTTP 503: queue full).`);
  });

  it("explains a timeout within the deadline", async () => {
    const r = await receiver({ hang: true });
    const started = Date.now();
    const report = await otelTests(r.url(), { timeoutMs: 300 }).otel();
    expect(Date.now() - started).toBeLessThan(300 + 250);
    expect(report.httpStatus).toBe(0);
    expect(report.hop?.error).toBe(`No answer from ${r.url("/v1/traces")} within 300 ms.`);
    expect(report.hop?.remediation).toBe(`Check the host and port in OTEL_EXPORTER_OTLP_ENDPOINT, and that no firewall drops traffic to 127.0.0.1:${r.port}.`);
  });

  it("explains a refused connection", async () => {
    const [port] = (await freePorts(1)) as [number];
    const hop = (await otelTests(`http://127.0.0.1:${port}`).otel()).hop;
    expect(hop?.error).toBe(`Nothing is listening at 127.0.0.1:${port} (connection refused).`);
    expect(hop?.remediation).toBe("Check OTEL_EXPORTER_OTLP_ENDPOINT (host and port; OTLP/HTTP is usually 4318) and that the collector is running.");
  });

  it("speaks of Dash0 when Dash0 is the OTLP target", async () => {
    const r = await receiver({ status: 401 });
    const config = diagnosticsConfig({ otlp: {}, dash0: { endpoint: r.url(), apiKey: "dash0-token-7f3a9c" } });
    expect(config.otlp.target).toBe("dash0");
    const report = await createPipelineTests(config, { timeoutMs: 2000 }).otel();
    expect(report.hop?.error).toBe("Dash0 rejected the token (HTTP 401 Unauthorized).");
    expect(r.requests[0]?.headers.authorization).toBe("Bearer dash0-token-7f3a9c");
  });

  it("reports OTLP export as off when no endpoint is configured", async () => {
    const report = await createPipelineTests(diagnosticsConfig()).otel();
    expect(report.ok).toBe(false);
    expect(report.hop?.error).toBe("OTLP export is off: no traces or logs endpoint is configured.");
  });
});

describe("dash0()", () => {
  it("sends Authorization: Bearer and Dash0-Dataset and passes on 200", async () => {
    const r = await receiver();
    const report = await dash0Tests(r.url(), "staging").dash0();
    expect(report.ok).toBe(true);
    expect(report.dataset).toBe("staging");
    expect(validateDash0HealthReport(report)).toEqual([]);
    expect(r.requests[0]?.headers.authorization).toBe("Bearer dash0-token-7f3a9c");
    expect(r.requests[0]?.headers["dash0-dataset"]).toBe("staging");
  });

  it("tells a bad token (401) by DASH0_API_KEY", async () => {
    const r = await receiver({ status: 401 });
    const report = await dash0Tests(r.url(), "staging").dash0();
    expect(report.httpStatus).toBe(401);
    expect(report.hop?.error).toBe("Dash0 rejected the token (HTTP 401 Unauthorized).");
    expect(report.hop?.remediation).toBe('Check DASH0_API_KEY: an auth token from Dash0 with ingest permission, without the "Bearer " prefix.');
  });

  it("tells a token not allowed for the dataset (403) by DASH0_DATASET", async () => {
    const r = await receiver({ status: 403 });
    const report = await dash0Tests(r.url(), "staging").dash0();
    expect(report.httpStatus).toBe(403);
    expect(report.hop?.error).toBe('Dash0 accepted the token but it may not write to dataset "staging" (HTTP 403 Forbidden).');
    expect(report.hop?.remediation).toBe('Check DASH0_DATASET (now "staging"): the dataset must exist and the token must be allowed to write to it.');
  });

  it("points a 404 at DASH0_ENDPOINT", async () => {
    const r = await receiver({ status: 404 });
    const hop = (await dash0Tests(r.url("/ingest")).dash0()).hop;
    expect(hop?.error).toContain("answered HTTP 404 Not Found");
    expect(hop?.remediation).toContain("Check DASH0_ENDPOINT");
  });

  it("reports Dash0 as not configured without DASH0_ENDPOINT", async () => {
    const report = await createPipelineTests(diagnosticsConfig()).dash0();
    expect(report.ok).toBe(false);
    expect(report.hop?.error).toBe("Dash0 is not configured (DASH0_ENDPOINT is not set).");
    expect(report.hop?.remediation).toBe("Set DASH0_ENDPOINT and DASH0_API_KEY (and DASH0_DATASET for a dataset other than the default).");
  });
});
