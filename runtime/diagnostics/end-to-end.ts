import { performance } from "node:perf_hooks";
import type { HopReport, PipelineReport } from "../../generated/emp/telemetry/v1/health_pb.js";
import { buildHopReport, buildPipelineReport } from "../../generated/emp/telemetry/v1/health_contract.js";
import { fluentdPeerOf, otelTargetOf, type CheckContext } from "./check-context.js";
import { collectorFailures, waitForSightings, type CollectorPath } from "./collector/collector-probes.js";
import { Deadline, runWithDeadline } from "./core/deadline.js";
import { readFluentBit, watchFluentBit, type FluentBitSnapshot } from "./fluent-bit/fluent-bit-metrics.js";
import { probeFluentdHttp } from "./fluentd/fluentd-http-probe.js";
import { probeForward } from "./fluentd/forward-probe.js";
import { allPassed, failedHop, internalFailure, latencyOf, passedHop, type HopFailure } from "./core/hop-reports.js";
import { exportOnce } from "./otlp/otlp-probe.js";
import { probeFluentRecord, probeLogExport, probeSpanExport } from "./probe-records.js";
import { scrubReport } from "./core/report-redaction.js";

/** One path the probe took: its first hop, where the collector reports it, and when it was accepted. */
interface SentPath {
  /** e.g. `fluentd (forward)`, `otlp (traces)`, `dash0 (logs)`. */
  readonly name: string;
  readonly collectorPath: CollectorPath;
  /** The `app-><name>` hop as the send saw it (accepted, or why not). */
  readonly hop: HopReport;
  /** `Date.now()` when it was sent. */
  readonly sentAtMs: number;
  /** `performance.now()` when it was accepted, `undefined` when it was not. */
  readonly acceptedAt: number | undefined;
  /** Whether this path goes through Fluentd (so Fluent Bit may be watched on it). */
  readonly viaFluentd: boolean;
}

/**
 * The check behind `telemetry.test.endToEnd()`: one probe with a unique id (`emp.health.probe_id`)
 * sent through every configured path at once (Fluentd over forward or `in_http`; OTLP logs and
 * traces, to the collector or to Dash0). Hops, in pipeline order per path:
 * - `app-><path>`: the first receiver accepted it (ack, 2xx); latency = the send;
 * - `fluent-bit` (with `fluentBitUrl`): Fluent Bit's input and output record counters grew after the probe;
 * - `<path>->collector` (with `collectorUrl`): the collector reported the probe on that path; latency =
 *   from the send to the collector's `atMs`.
 * Without a collector the first hops are `acceptedOnly` (accepted, not seen further on); with one, a
 * path is confirmed (not `acceptedOnly`) once the collector saw it. `ok` when every hop passed.
 *
 * Failure behaviour: never rejects; resolves within `timeoutMs` (waiting for the collector uses what
 * is left of it).
 */
export function checkEndToEnd(context: CheckContext, probeId: string, parent?: AbortSignal): Promise<PipelineReport> {
  const { timeoutMs } = context.options;
  return runWithDeadline(
    timeoutMs,
    parent,
    async (deadline) => {
      const hops = await runProbe(context, probeId, deadline);
      const total = deadline.elapsedMs();
      return scrubReport(buildPipelineReport({ ok: allPassed(hops), hops: hops.slice(0, 32), probeId, totalLatencyMs: latencyOf(total) }), context.secrets);
    },
    (reason) => buildPipelineReport({ ok: false, probeId, hops: [failedHop("pipeline", timeoutMs, internalFailure(reason))], totalLatencyMs: timeoutMs }),
  );
}

const nothingConfigured: HopFailure = Object.freeze({
  error: "Nothing is configured to send the probe to: the Fluentd sink and OTLP export are both off.",
  remediation: "Set FLUENTD_HOST/FLUENTD_PORT, OTEL_EXPORTER_OTLP_ENDPOINT or DASH0_ENDPOINT.",
});

async function runProbe(context: CheckContext, probeId: string, deadline: Deadline): Promise<HopReport[]> {
  const { options, config } = context;
  let before: FluentBitSnapshot | HopFailure | undefined;
  if (options.fluentBitUrl !== undefined && config.fluentd.enabled) {
    // At most a quarter of the deadline, so a dead Fluent Bit leaves time for the probe itself.
    const first = new Deadline(Math.max(1, Math.floor(options.timeoutMs / 4)), deadline.signal);
    before = await readFluentBit(options.fluentBitUrl, first);
    first.dispose();
  }

  const sends: Array<Promise<SentPath>> = [];
  if (config.fluentd.enabled) sends.push(sendFluentd(context, probeId, deadline));
  for (const signal of ["logs", "traces"] as const) {
    if (otelTargetOf(context, signal) !== undefined) sends.push(sendOtlp(context, probeId, signal, deadline));
  }
  if (sends.length === 0) return [failedHop("pipeline", 0, nothingConfigured)];
  const sent = await Promise.all(sends);

  const accepted = sent.filter((path) => path.acceptedAt !== undefined);
  const fluentPath = accepted.find((path) => path.viaFluentd);
  const [fluentBitHop, sightings] = await Promise.all([
    fluentPath === undefined || before === undefined
      ? undefined
      : "error" in before
        ? failedHop("fluent-bit", 0, before)
        : watchFluentBit(options.fluentBitUrl ?? "", before, fluentPath.acceptedAt ?? performance.now(), options.pollIntervalMs, deadline),
    options.collectorUrl === undefined || accepted.length === 0
      ? undefined
      : waitForSightings(
          options.collectorUrl,
          probeId,
          accepted.map((path) => path.collectorPath),
          options.pollIntervalMs,
          deadline,
        ),
  ]);

  const hops: HopReport[] = [];
  for (const path of sent) {
    const seenAtMs = sightings?.seen.get(path.collectorPath);
    hops.push(path.hop.ok && seenAtMs !== undefined ? buildHopReport({ ...path.hop, acceptedOnly: false }) : path.hop);
    if (path.acceptedAt === undefined) continue;
    if (path.viaFluentd && fluentBitHop !== undefined) hops.push(fluentBitHop);
    if (sightings === undefined) continue;
    const hop = `${path.name}->collector`;
    if (seenAtMs !== undefined) hops.push(passedHop(hop, seenAtMs - path.sentAtMs));
    else hops.push(failedHop(hop, deadline.elapsedMs(), sightings.problem ?? collectorFailures.notSeen(path.name, deadline.timeoutMs)));
  }
  return hops;
}

async function sendFluentd(context: CheckContext, probeId: string, deadline: Deadline): Promise<SentPath> {
  const { config, options } = context;
  const protocol = config.fluentd.protocol;
  const name = `fluentd (${protocol})`;
  const hopName = `app->${name}`;
  const record = probeFluentRecord(config, probeId, Date.now());
  const peer = fluentdPeerOf(config);
  const sentAtMs = Date.now();
  const started = performance.now();
  const result =
    protocol === "http"
      ? await probeFluentdHttp(peer, options.probeTag, record, deadline)
      : await probeForward(
          { ...peer, sharedKey: config.fluentd.sharedKey?.reveal() ?? "", selfHostname: config.service.host },
          { tag: options.probeTag, record },
          deadline,
        );
  const latency = performance.now() - started;
  const failed = result.steps.find((step) => !step.ok);
  const hop =
    failed === undefined
      ? passedHop(hopName, latency, true)
      : failedHop(hopName, latency, { error: `${failed.hop}: ${failed.error}`, remediation: failed.remediation });
  return {
    name,
    collectorPath: protocol === "http" ? "http" : "forward",
    hop,
    sentAtMs,
    acceptedAt: result.ok ? performance.now() : undefined,
    viaFluentd: true,
  };
}

async function sendOtlp(context: CheckContext, probeId: string, signal: "logs" | "traces", deadline: Deadline): Promise<SentPath> {
  const target = otelTargetOf(context, signal);
  const dash0 = context.config.otlp.target === "dash0";
  const name = `${dash0 ? "dash0" : "otlp"} (${signal})`;
  const grpc = context.config.otlp.signals[signal].protocol === "grpc";
  const collectorPath: CollectorPath = dash0 ? "dash0" : grpc ? "otlpGrpc" : signal === "logs" ? "otlpHttpLogs" : "otlpHttpTraces";
  const sentAtMs = Date.now();
  if (target === undefined)
    return { name, collectorPath, hop: failedHop(`app->${name}`, 0, internalFailure("no endpoint")), sentAtMs, acceptedAt: undefined, viaFluentd: false };
  const { config } = context;
  const body = signal === "logs" ? probeLogExport(config, probeId, sentAtMs) : probeSpanExport(config, probeId, sentAtMs);
  const result = await exportOnce(`app->${name}`, target, body, deadline, true);
  return { name, collectorPath, hop: result.hop, sentAtMs, acceptedAt: result.hop.ok ? performance.now() : undefined, viaFluentd: false };
}
