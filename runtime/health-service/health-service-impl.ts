import type { ServiceImpl } from "@connectrpc/connect";
import {
  buildGetHealthResponse,
  buildRunCheckResponse,
  buildSinkHealthReport,
  type GetHealthResponse,
  type SinkHealthReport,
  type TelemetryHealthService,
} from "../../generated/index.js";
import type { SinkHealth } from "../reliability/sink/reports.js";
import type { HealthSource } from "./health-source.js";

/** A sink's health as the contract's SinkHealthReport. */
export function sinkHealthReport(h: SinkHealth): SinkHealthReport {
  return buildSinkHealthReport({
    name: h.name,
    breakerState: h.breakerState,
    emitted: BigInt(h.emitted),
    delivered: BigInt(h.delivered),
    dropped: Object.fromEntries(
      Object.entries(h.dropped)
        .filter(([, n]) => n > 0)
        .map(([reason, n]) => [reason, BigInt(n)]),
    ),
    queued: BigInt(h.queued),
    inFlight: BigInt(h.inFlight),
    resent: BigInt(h.resent),
    lastError: h.lastError?.message ?? "",
    lastErrorCode: h.lastError?.code ?? "",
    lastSuccessTimeUnixNano: h.lastSuccessTimeMs === undefined ? 0n : BigInt(h.lastSuccessTimeMs) * 1_000_000n,
    lastLatencyMs: h.lastLatencyMs ?? 0,
  });
}

/** The client's health as the contract's GetHealthResponse. */
export function healthResponse(source: HealthSource): GetHealthResponse {
  const h = source.health();
  return buildGetHealthResponse({ ok: h.ok, service: source.service, sinks: h.sinks.map(sinkHealthReport), lastReport: source.lastReport() });
}

/** The TelemetryHealthService implementation over a client. */
export function createHealthServiceImpl(source: HealthSource): ServiceImpl<typeof TelemetryHealthService> {
  return {
    getHealth: () => healthResponse(source),
    runCheck: async () => buildRunCheckResponse({ report: await source.runCheck() }),
  };
}
