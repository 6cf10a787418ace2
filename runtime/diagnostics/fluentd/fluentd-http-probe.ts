import { isIP } from "node:net";
import type { HopReport } from "../../../generated/emp/telemetry/v1/health_pb.js";
import type { Deadline } from "../core/deadline.js";
import { fluentdFailures, fluentdSocketFailure, type FluentdPeer } from "./fluentd-failures.js";
import { failedHop, passedHop, type HopFailure } from "../core/hop-reports.js";
import { postOnce } from "../core/http-exchange.js";
import { quoteBody } from "../../transports/http/quote-body.js";
import { socketFailureKind } from "../core/socket-failures.js";

/** What {@link probeFluentdHttp} found: one `post` step, and when the answer came (`Date.now()`). */
export interface FluentdHttpProbeResult {
  readonly ok: boolean;
  readonly steps: HopReport[];
  readonly acceptedAtMs: number | undefined;
}

/** `http(s)://host:port` of a Fluentd `in_http` input (an IPv6 address in brackets). */
export function fluentdHttpBaseUrl(peer: FluentdPeer): string {
  const host = isIP(peer.host) === 6 ? `[${peer.host}]` : peer.host;
  return `${peer.tls ? "https" : "http"}://${host}:${String(peer.port)}`;
}

/**
 * POSTs the probe record as JSON to Fluentd's `in_http` input at `<base>/<tag>` (the path is the tag)
 * and checks the status: 2xx means Fluentd took it. One step, `post`.
 *
 * Failure behaviour: never rejects; a refused or dropped connection, an answer that is not HTTP (a
 * forward port), a non-2xx status or the deadline give a failed step with its remediation
 * (see {@link fluentdFailures}).
 */
export async function probeFluentdHttp(
  peer: FluentdPeer,
  tag: string,
  record: Readonly<Record<string, unknown>>,
  deadline: Deadline,
): Promise<FluentdHttpProbeResult> {
  const url = `${fluentdHttpBaseUrl(peer)}/${tag}`;
  const body = Buffer.from(JSON.stringify(record), "utf8");
  const { outcome, latencyMs } = await postOnce(url, { "Content-Type": "application/json" }, body, deadline);
  let failure: HopFailure | undefined;
  switch (outcome.kind) {
    case "response":
      if (outcome.status >= 200 && outcome.status < 300) return { ok: true, steps: [passedHop("post", latencyMs, true)], acceptedAtMs: Date.now() };
      failure = fluentdFailures.httpStatus(url, outcome.status, quoteBody(outcome.body, []));
      break;
    case "timeout":
    case "aborted":
      failure = fluentdFailures.httpTimeout(peer, deadline.timeoutMs);
      break;
    case "closed":
      failure = fluentdFailures.notHttp(peer);
      break;
    case "error": {
      const kind = socketFailureKind(outcome.error);
      failure = kind === "reset" || kind === "http_parse" ? fluentdFailures.notHttp(peer) : fluentdSocketFailure(peer, outcome.error, true);
      break;
    }
  }
  return { ok: false, steps: [failedHop("post", latencyMs, failure)], acceptedAtMs: undefined };
}
