import type { FluentdHealthReport, HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import { buildFluentdHealthReport } from "../../../generated/emp/telemetry/v1/health_contract.js";
import { fluentdPeerOf, type CheckContext } from "../check-context.js";
import { runWithDeadline, type Deadline } from "../core/deadline.js";
import { fluentdFailures } from "./fluentd-failures.js";
import { probeFluentdHttp } from "./fluentd-http-probe.js";
import { probeForward } from "./forward-probe.js";
import { allPassed, failedHop, internalFailure } from "../core/hop-reports.js";
import { readMonitorAgent } from "./monitor-agent.js";
import { probeFluentRecord } from "../probe-records.js";
import { scrubReport } from "../core/report-redaction.js";

/** `full`: connect, handshake, probe record and ack (plus monitor_agent); `cheap`: connect and handshake only. */
export type FluentdCheckMode = "full" | "cheap";

/**
 * The Fluentd check behind `telemetry.test.fluentd()`: over `forward`, connect, shared-key handshake,
 * a probe record with `chunk` and its ack, each a timed step; over `http`, a POST of the probe to
 * `in_http`. With `fluentdMonitorUrl`, monitor_agent is read at the same time and every retrying
 * output fails the report. `cheap` mode (periodic checks) only connects and shakes hands (`http`:
 * only connects), sending no record.
 *
 * Failure behaviour: never rejects; resolves within `timeoutMs` (see `runWithDeadline`).
 */
export function checkFluentd(context: CheckContext, probeId: string, mode: FluentdCheckMode, parent?: AbortSignal): Promise<FluentdHealthReport> {
  const { config, options } = context;
  if (!config.fluentd.enabled) {
    return Promise.resolve(buildFluentdHealthReport({ ok: false, steps: [failedHop("fluentd", 0, fluentdFailures.notConfigured())] }));
  }
  return runWithDeadline(
    options.timeoutMs,
    parent,
    async (deadline) => {
      const monitorUrl = mode === "full" ? options.fluentdMonitorUrl : undefined;
      const [probe, monitor] = await Promise.all([
        probeSteps(context, probeId, mode, deadline),
        monitorUrl === undefined ? undefined : readMonitorAgent(monitorUrl, deadline),
      ]);
      const steps = [...probe, ...(monitor?.steps ?? [])].slice(0, 16);
      return scrubReport(buildFluentdHealthReport({ ok: allPassed(steps), steps, outputs: monitor?.outputs ?? [] }), context.secrets);
    },
    (reason) => buildFluentdHealthReport({ ok: false, steps: [failedHop("fluentd", options.timeoutMs, internalFailure(reason))] }),
  );
}

async function probeSteps(context: CheckContext, probeId: string, mode: FluentdCheckMode, deadline: Deadline): Promise<HopReport[]> {
  const { config, options } = context;
  const peer = fluentdPeerOf(config);
  const record = probeFluentRecord(config, probeId, Date.now());
  if (config.fluentd.protocol === "http") {
    if (mode === "cheap") {
      return (await probeForward({ ...peer, tls: false, sharedKey: "", selfHostname: config.service.host }, undefined, deadline)).steps;
    }
    return (await probeFluentdHttp(peer, options.probeTag, record, deadline)).steps;
  }
  const target = { ...peer, sharedKey: config.fluentd.sharedKey?.reveal() ?? "", selfHostname: config.service.host };
  const result = await probeForward(target, mode === "full" ? { tag: options.probeTag, record } : undefined, deadline);
  return result.steps;
}
