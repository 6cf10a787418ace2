import type { HopFailure } from "../core/hop-reports.js";
import { reasonText, socketFailureKind } from "../core/socket-failures.js";

/** Where the Fluentd check went, for the texts of {@link fluentdFailures}. No secrets. */
export interface FluentdPeer {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

const hostPort = (peer: FluentdPeer): string => `${peer.host}:${String(peer.port)}`;
const checkHostPort = (peer: FluentdPeer): string => `Check FLUENTD_HOST and FLUENTD_PORT (now ${hostPort(peer)})`;
/** FLUENTD_TLS as the texts show it: `on` or `off`. */
const tlsNow = (peer: FluentdPeer): string => (peer.tls ? "on" : "off");

/**
 * Every way the Fluentd check fails, each with its own plain-language error and a remediation naming
 * the variable to check (FLUENTD_HOST, FLUENTD_PORT, FLUENTD_SHARED_KEY, FLUENTD_PROTOCOL, FLUENTD_TLS).
 * The one table of these texts; tests match them.
 */
export const fluentdFailures = Object.freeze({
  refused: (peer: FluentdPeer): HopFailure => ({
    error: `Nothing is listening on ${hostPort(peer)} (connection refused).`,
    remediation: `${checkHostPort(peer)}, and that Fluentd or Fluent Bit is running there.`,
  }),
  connectTimeout: (peer: FluentdPeer, timeoutMs: number): HopFailure => ({
    error:
      `No answer from ${hostPort(peer)} within ${String(timeoutMs)} ms while connecting: ` +
      "packets are being dropped (a firewall, a wrong address or a host that is down).",
    remediation: `${checkHostPort(peer)}, and that no firewall drops traffic to that port.`,
  }),
  dns: (peer: FluentdPeer): HopFailure => ({
    error: `The host name "${peer.host}" does not resolve.`,
    remediation: `Check FLUENTD_HOST (now ${peer.host}).`,
  }),
  unreachable: (peer: FluentdPeer, reason: unknown): HopFailure => ({
    error: `${hostPort(peer)} cannot be reached (${reasonText(reason)}).`,
    remediation: `${checkHostPort(peer)}, and the network route to that host.`,
  }),
  tls: (peer: FluentdPeer, reason: unknown): HopFailure => ({
    error: `The TLS handshake with ${hostPort(peer)} failed (${reasonText(reason)}).`,
    remediation:
      `Check FLUENTD_TLS (now ${tlsNow(peer)}) matches the receiver: ` +
      "on only when its input has a <transport tls> section, with a certificate this host trusts.",
  }),
  tlsExpected: (peer: FluentdPeer): HopFailure => ({
    error: `${hostPort(peer)} answered with TLS: the receiver expects an encrypted connection.`,
    remediation: "Set FLUENTD_TLS=true (the receiver's input has a <transport tls> section).",
  }),
  closedEarly: (peer: FluentdPeer): HopFailure => ({
    error: `${hostPort(peer)} accepted the connection and closed it without a word.`,
    remediation: `Check FLUENTD_PORT points at a forward input (usually 24224), FLUENTD_PROTOCOL (forward or http) and FLUENTD_TLS (now ${tlsNow(peer)}).`,
  }),
  wrongKey: (peer: FluentdPeer, said: string): HopFailure => ({
    error: `${hostPort(peer)} refused our shared key${said === "" ? "" : ` (${said})`}: the handshake failed.`,
    remediation: "Check FLUENTD_SHARED_KEY: it must equal shared_key in the receiver's <security> section (Fluentd) or its shared_key setting (Fluent Bit).",
  }),
  keyRequired: (peer: FluentdPeer): HopFailure => ({
    error: `${hostPort(peer)} asks for the shared-key handshake (it sent HELO), but no shared key is configured.`,
    remediation: "Set FLUENTD_SHARED_KEY to the receiver's shared_key.",
  }),
  noHelo: (peer: FluentdPeer, timeoutMs: number): HopFailure => ({
    error: `${hostPort(peer)} accepted the connection but sent no handshake (HELO) within ${String(timeoutMs)} ms, though a shared key is configured.`,
    remediation:
      "Unset FLUENTD_SHARED_KEY if the receiver has no shared key (no <security> section), or check FLUENTD_PORT points at the forward input that has one.",
  }),
  noPong: (peer: FluentdPeer, timeoutMs: number): HopFailure => ({
    error: `${hostPort(peer)} did not answer our handshake (PING) within ${String(timeoutMs)} ms.`,
    remediation: "Check FLUENTD_SHARED_KEY and the receiver's log; the receiver is overloaded or not a Fluentd forward input.",
  }),
  httpListener: (peer: FluentdPeer): HopFailure => ({
    error: `${hostPort(peer)} answered in HTTP, not the Fluentd forward protocol: an HTTP server listens there.`,
    remediation:
      "Set FLUENTD_PROTOCOL=http if this is Fluentd's in_http input, " +
      `or point FLUENTD_PORT at the forward input (usually 24224; now ${String(peer.port)}).`,
  }),
  notForward: (peer: FluentdPeer, reason: string): HopFailure => ({
    error: `${hostPort(peer)} does not speak the Fluentd forward protocol (${reason}).`,
    remediation: `Check FLUENTD_PORT (now ${String(peer.port)}) points at a Fluentd or Fluent Bit forward input, and FLUENTD_PROTOCOL (forward or http).`,
  }),
  ackTimeout: (peer: FluentdPeer, timeoutMs: number): HopFailure => ({
    error: `${hostPort(peer)} took the probe record but sent no ack within ${String(timeoutMs)} ms.`,
    remediation:
      `Check FLUENTD_PORT (now ${String(peer.port)}) points at a Fluentd or Fluent Bit forward input (they always ack), ` +
      "and the receiver's log; it may be overloaded.",
  }),
  closedBeforeAck: (peer: FluentdPeer): HopFailure => ({
    error: `${hostPort(peer)} closed the connection before acknowledging the probe record.`,
    remediation: `Check FLUENTD_TLS (now ${tlsNow(peer)}; a TLS input closes plain connections), FLUENTD_PROTOCOL (forward or http) and the receiver's log.`,
  }),
  httpStatus: (url: string, status: number, said: string): HopFailure => ({
    error: `Fluentd in_http at ${url} answered HTTP ${String(status)}${said === "" ? "" : `: ${said}`}.`,
    remediation:
      status === 404 || status === 405
        ? "Check FLUENTD_HOST and FLUENTD_PORT point at Fluentd's in_http input (something else answered), or set FLUENTD_PROTOCOL=forward for a forward input."
        : "Check the receiver's log; FLUENTD_PORT must point at Fluentd's in_http input when FLUENTD_PROTOCOL=http.",
  }),
  notHttp: (peer: FluentdPeer): HopFailure => ({
    error: `${hostPort(peer)} did not answer in HTTP (it closed the connection or sent something else).`,
    remediation:
      "Set FLUENTD_PROTOCOL=forward if this is a forward input, " +
      `or point FLUENTD_PORT at Fluentd's in_http input (usually 8888; now ${String(peer.port)}).`,
  }),
  httpTimeout: (peer: FluentdPeer, timeoutMs: number): HopFailure => ({
    error: `No HTTP answer from ${hostPort(peer)} within ${String(timeoutMs)} ms.`,
    remediation: `${checkHostPort(peer)}, FLUENTD_PROTOCOL (http needs Fluentd's in_http input) and that no firewall drops traffic to that port.`,
  }),
  monitorUnreachable: (url: string, what: string): HopFailure => ({
    error: `Could not read Fluentd's monitor_agent at ${url} (${what}).`,
    remediation:
      "Check the fluentdMonitorUrl option and that Fluentd has a <source> @type monitor_agent (the seed's deployment uses port 24220) reachable from here.",
  }),
  outputRetrying: (pluginId: string, type: string, retryCount: bigint, queuedBytes: bigint): HopFailure => ({
    error:
      `Fluentd accepts records, but its output ${pluginId} (@type ${type}) cannot deliver them: ` +
      `it is retrying (retry_count ${String(retryCount)}, ${String(queuedBytes)} bytes queued).`,
    remediation:
      "Check that output's destination in the Fluentd configuration (host, port, and credentials such as the Dash0 token and dataset) " +
      "and Fluentd's log; queued records are lost when its buffer overflows or its retries run out.",
  }),
  notConfigured: (): HopFailure => ({
    error: "The Fluentd sink is switched off, so there is nothing to check.",
    remediation: "Set FLUENTD_HOST and FLUENTD_PORT (and fluentd.enabled) to send logs to Fluentd.",
  }),
});

/**
 * The failure of a connection attempt from the error the socket emitted (refused, DNS, unreachable,
 * TLS, reset, or other). `connected`: whether TCP had connected (a reset then means "closed early").
 */
export function fluentdSocketFailure(peer: FluentdPeer, reason: unknown, connected: boolean): HopFailure {
  switch (socketFailureKind(reason)) {
    case "refused":
      return fluentdFailures.refused(peer);
    case "dns":
      return fluentdFailures.dns(peer);
    case "unreachable":
      return fluentdFailures.unreachable(peer, reason);
    case "tls":
      return fluentdFailures.tls(peer, reason);
    case "reset":
      return peer.tls && !connected ? fluentdFailures.tls(peer, reason) : fluentdFailures.closedEarly(peer);
    default:
      return peer.tls ? fluentdFailures.tls(peer, reason) : fluentdFailures.unreachable(peer, reason);
  }
}
