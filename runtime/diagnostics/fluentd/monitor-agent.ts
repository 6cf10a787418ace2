import type { FluentdOutputState, HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import { buildFluentdOutputState } from "../../../generated/emp/telemetry/v1/health_contract.js";
import type { Deadline } from "../core/deadline.js";
import { fluentdFailures } from "./fluentd-failures.js";
import { failedHop, passedHop } from "../core/hop-reports.js";
import { getOnce, jsonOf } from "../core/http-exchange.js";
import { displayUrl } from "../core/redaction.js";
import { reasonText } from "../core/socket-failures.js";

/** What {@link readMonitorAgent} found: a `monitor_agent` step, one failed step per retrying output, and every output's state. */
export interface MonitorAgentResult {
  readonly ok: boolean;
  readonly steps: HopReport[];
  readonly outputs: FluentdOutputState[];
}

/** An output plugin as `monitor_agent` lists it, plus whether it is retrying now. */
interface OutputPlugin {
  readonly state: FluentdOutputState;
  readonly retrying: boolean;
}

/** At most this many outputs are reported (the contract's limit) and this many retrying ones get a step. */
const maxOutputs = 64;
const maxRetryingSteps = 10;

/**
 * Reads `<monitorUrl>/api/plugins.json` from Fluentd's `monitor_agent` and reports every output
 * plugin (`retry_count`, `buffer_total_queued_size`, `emit_records`). An output is retrying when its
 * `retry` object is not empty (Fluentd fills it while a flush is failing: `start`, `steps`,
 * `next_time`), or, for a Fluentd without that field, when it has retried and still holds a queue.
 * Each retrying output is a failed step `output <plugin_id>`: a Fluentd that accepts everything but
 * cannot reach its destination (e.g. Dash0).
 *
 * Failure behaviour: never rejects; an unreachable monitor, a non-2xx answer or JSON that is not
 * monitor_agent's fail the `monitor_agent` step.
 */
export async function readMonitorAgent(monitorUrl: string, deadline: Deadline): Promise<MonitorAgentResult> {
  const url = `${monitorUrl}/api/plugins.json`;
  const shown = displayUrl(url);
  const { outcome, latencyMs } = await getOnce(url, deadline);
  const fail = (what: string): MonitorAgentResult => ({
    ok: false,
    steps: [failedHop("monitor_agent", latencyMs, fluentdFailures.monitorUnreachable(shown, what))],
    outputs: [],
  });
  if (outcome.kind === "timeout" || outcome.kind === "aborted") return fail(`no answer within ${String(deadline.timeoutMs)} ms`);
  if (outcome.kind === "error") return fail(reasonText(outcome.error));
  if (outcome.kind === "closed") return fail("connection closed");
  if (outcome.status < 200 || outcome.status >= 300) return fail(`HTTP ${String(outcome.status)}`);
  const plugins = pluginsOf(jsonOf(outcome));
  if (plugins === undefined) return fail("the answer is not monitor_agent's JSON");
  const steps: HopReport[] = [passedHop("monitor_agent", latencyMs)];
  for (const plugin of plugins.filter((p) => p.retrying).slice(0, maxRetryingSteps)) {
    const { pluginId, type, retryCount, bufferTotalQueuedSize } = plugin.state;
    steps.push(failedHop(`output ${pluginId}`.slice(0, 128), 0, fluentdFailures.outputRetrying(pluginId, type, retryCount, bufferTotalQueuedSize)));
  }
  return { ok: steps.every((s) => s.ok), steps, outputs: plugins.slice(0, maxOutputs).map((p) => p.state) };
}

function pluginsOf(json: unknown): OutputPlugin[] | undefined {
  if (!isRecord(json) || !Array.isArray(json.plugins)) return undefined;
  const out: OutputPlugin[] = [];
  for (const plugin of json.plugins) {
    if (!isRecord(plugin) || plugin.output_plugin !== true) continue;
    const retryCount = count(plugin.retry_count);
    const queued = count(plugin.buffer_total_queued_size);
    const retry = plugin.retry;
    const retrying = isRecord(retry) ? Object.keys(retry).length > 0 : retryCount > 0n && count(plugin.buffer_queue_length) > 0n;
    out.push({
      state: buildFluentdOutputState({
        pluginId: text(plugin.plugin_id).slice(0, 256),
        type: text(plugin.type).slice(0, 128),
        retryCount,
        bufferTotalQueuedSize: queued,
        emitRecords: count(plugin.emit_records),
      }),
      retrying,
    });
  }
  return out;
}

function count(value: unknown): bigint {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : 0n;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
