import type { Dash0HealthReport, OtelHealthReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import { buildDash0HealthReport, buildOtelHealthReport } from "../../../generated/emp/telemetry/v1/health_contract.js";
import { dash0TargetOf, otelTargetOf, type CheckContext } from "../check-context.js";
import { runWithDeadline } from "../core/deadline.js";
import { failedHop, internalFailure } from "../core/hop-reports.js";
import { otlpNotConfigured } from "./otlp-failures.js";
import { emptyLogExport, emptyTraceExport, exportOnce } from "./otlp-probe.js";
import { scrubReport } from "../core/report-redaction.js";

/**
 * The check behind `telemetry.test.otel()`: an empty OTLP export (zero spans; zero log records when
 * only logs are exported) to the configured endpoint over that signal's protocol, with its headers,
 * gzip and CA: POSTed as protobuf (`http/protobuf`) or OTLP/JSON (`http/json`), or one gRPC `Export`
 * call (`grpc`; `httpStatus` is then 0 and the gRPC status is in the hop's error). 2xx or OK, partial
 * success included, is ok; every failure is explained (see `otlpFailure`, `grpcFailure`). The hop is `otel`.
 *
 * Failure behaviour: never rejects; resolves within `timeoutMs`. Without an OTLP endpoint the report
 * fails with "OTLP export is off" and how to turn it on.
 */
export function checkOtel(context: CheckContext, parent?: AbortSignal): Promise<OtelHealthReport> {
  const target = otelTargetOf(context);
  if (target === undefined) return Promise.resolve(buildOtelHealthReport({ ok: false, hop: failedHop("otel", 0, otlpNotConfigured("collector")) }));
  const { timeoutMs } = context.options;
  const endpoint = target.peer.endpoint;
  return runWithDeadline(
    timeoutMs,
    parent,
    async (deadline) => {
      const serviceName = context.config.service.name;
      const body = target.peer.signal === "traces" ? emptyTraceExport(serviceName) : emptyLogExport(serviceName);
      const result = await exportOnce("otel", target, body, deadline, false);
      return scrubReport(buildOtelHealthReport({ ok: result.hop.ok, endpoint, httpStatus: result.httpStatus, hop: result.hop }), context.secrets);
    },
    (reason) => buildOtelHealthReport({ ok: false, endpoint, hop: failedHop("otel", timeoutMs, internalFailure(reason)) }),
  );
}

/**
 * The check behind `telemetry.test.dash0()`: an empty trace export to Dash0 (its traces endpoint and
 * protocol when Dash0 is the OTLP target, else `<DASH0_ENDPOINT>/v1/traces` over OTLP/HTTP) with
 * `Authorization: Bearer <DASH0_API_KEY>` and `Dash0-Dataset`. 401 / UNAUTHENTICATED (bad token:
 * DASH0_API_KEY) and 403 / PERMISSION_DENIED (token not allowed for the dataset: DASH0_DATASET) are told apart. The token never appears
 * in the report. The hop is `dash0`.
 *
 * Failure behaviour: never rejects; resolves within `timeoutMs`. Without DASH0_ENDPOINT the report
 * fails with "Dash0 is not configured".
 */
export function checkDash0(context: CheckContext, parent?: AbortSignal): Promise<Dash0HealthReport> {
  const target = dash0TargetOf(context);
  const dataset = context.config.dash0.dataset ?? "";
  if (target === undefined) return Promise.resolve(buildDash0HealthReport({ ok: false, dataset, hop: failedHop("dash0", 0, otlpNotConfigured("dash0")) }));
  const { timeoutMs } = context.options;
  const endpoint = target.peer.endpoint;
  return runWithDeadline(
    timeoutMs,
    parent,
    async (deadline) => {
      const result = await exportOnce("dash0", target, emptyTraceExport(context.config.service.name), deadline, false);
      return scrubReport(buildDash0HealthReport({ ok: result.hop.ok, endpoint, dataset, httpStatus: result.httpStatus, hop: result.hop }), context.secrets);
    },
    (reason) => buildDash0HealthReport({ ok: false, endpoint, dataset, hop: failedHop("dash0", timeoutMs, internalFailure(reason)) }),
  );
}
