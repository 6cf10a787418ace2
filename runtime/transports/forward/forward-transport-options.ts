import { hostname } from "node:os";
import type { ConnectionOptions } from "node:tls";
import { OptionProblems } from "../../config/option-problems.js";
import { withRedactedView } from "../../config/redacted-view.js";

/** TLS settings for the forward connection (passed to `node:tls`); `key` is treated as a secret. */
export type ForwardTlsOptions = Pick<ConnectionOptions, "ca" | "cert" | "key" | "servername" | "rejectUnauthorized">;

/**
 * Options of {@link createForwardTransport}. Every field is optional; see {@link forwardTransportDefaults}.
 * No environment variable is read: `forwardTransportOptionsFromConfig` builds these from a resolved
 * configuration (`FLUENTD_HOST`, `FLUENTD_PORT`, `FLUENTD_TLS`, `FLUENTD_SHARED_KEY`).
 */
export interface ForwardTransportOptions {
  /** Receiver host. Default `127.0.0.1`. */
  host?: string;
  /** Receiver port. Default `24224`. */
  port?: number;
  /** `true` or TLS settings to connect with TLS (Fluentd `<transport tls>`, Fluent Bit `tls on`). Default off. */
  tls?: boolean | ForwardTlsOptions;
  /** Shared key for the HELO/PING/PONG handshake; empty = no handshake. Secret. */
  sharedKey?: string;
  /** Our hostname in PING. Default `os.hostname()`. */
  selfHostname?: string;
  /** User for the receiver's user authentication (needs `sharedKey`). Default none. */
  username?: string;
  /** Password for `username`. Secret. */
  password?: string;
  /** How long to wait for `{ack}` before the send resolves `retryable` (`ack_timeout`). Default 5000 ms. */
  ackTimeoutMs?: number;
  /** Bound on TCP/TLS connect plus handshake. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Send CompressedPackedForward (gzip of the entries). Default false. */
  gzip?: boolean;
}

/** {@link ForwardTransportOptions} after defaults are applied; secrets are redacted in inspect/JSON. */
export interface ResolvedForwardTransportOptions {
  readonly host: string;
  readonly port: number;
  /** TLS settings, or `undefined` for plain TCP. */
  readonly tls: ForwardTlsOptions | undefined;
  /** `""` means no handshake. */
  readonly sharedKey: string;
  readonly selfHostname: string;
  readonly username: string;
  readonly password: string;
  readonly ackTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly gzip: boolean;
}

/**
 * Defaults of {@link ForwardTransportOptions}: the standard forward port on loopback, 5 s to connect
 * and 5 s per ack (Fluentd's `ack_response_timeout` is 190 s, but a telemetry client must find a dead
 * receiver sooner and resend), no TLS, no gzip (loopback and LAN; turn it on over a WAN).
 */
export const forwardTransportDefaults = Object.freeze({
  host: "127.0.0.1",
  port: 24224,
  tls: false,
  sharedKey: "",
  username: "",
  password: "",
  ackTimeoutMs: 5000,
  connectTimeoutMs: 5000,
  gzip: false,
} as const);

const knownKeys = ["host", "port", "tls", "sharedKey", "selfHostname", "username", "password", "ackTimeoutMs", "connectTimeoutMs", "gzip"] as const;

/**
 * Applies {@link forwardTransportDefaults} to the options from code and checks every value.
 *
 * Failure behaviour: throws one `TelemetryConfigError` with code `config_invalid` naming every bad
 * key, its value (secrets shown as `[redacted]`) and an example of a right one. This is the only
 * place the forward transport throws.
 */
export function resolveForwardTransportOptions(options: ForwardTransportOptions = {}): ResolvedForwardTransportOptions {
  const problems = new OptionProblems("forward transport");
  problems.unknownKeys(options, knownKeys);
  const host = options.host ?? forwardTransportDefaults.host;
  const port = options.port ?? forwardTransportDefaults.port;
  const sharedKey = options.sharedKey ?? forwardTransportDefaults.sharedKey;
  const selfHostname = options.selfHostname ?? hostname();
  const username = options.username ?? forwardTransportDefaults.username;
  const password = options.password ?? forwardTransportDefaults.password;
  const ackTimeoutMs = options.ackTimeoutMs ?? forwardTransportDefaults.ackTimeoutMs;
  const connectTimeoutMs = options.connectTimeoutMs ?? forwardTransportDefaults.connectTimeoutMs;
  const gzip = options.gzip ?? forwardTransportDefaults.gzip;
  const tlsOption = options.tls ?? forwardTransportDefaults.tls;

  problems.text("host", host, "a hostname", '"fluentd.internal"');
  problems.integer("port", port, 1, 65535, "24224");
  if (typeof sharedKey !== "string") problems.add("sharedKey", sharedKey, "a string", "", { secret: true });
  problems.text("selfHostname", selfHostname, "a hostname", '"api-1"');
  if (typeof username !== "string") problems.add("username", username, "a string", '"telemetry"');
  if (typeof password !== "string") problems.add("password", password, "a string", "", { secret: true });
  if (username !== "" && sharedKey === "") problems.add("username", username, "a sharedKey too: users are checked in the shared-key handshake");
  problems.milliseconds("ackTimeoutMs", ackTimeoutMs, "5000");
  problems.milliseconds("connectTimeoutMs", connectTimeoutMs, "5000");
  problems.boolean("gzip", gzip);
  if (typeof tlsOption !== "boolean" && (typeof tlsOption !== "object" || tlsOption === null))
    problems.add("tls", tlsOption, "true, false or { ca, servername, rejectUnauthorized }");
  problems.throwIfAny();

  const tls = tlsOption === true ? {} : tlsOption === false ? undefined : { ...tlsOption };
  const resolved: ResolvedForwardTransportOptions = { host, port, tls, sharedKey, selfHostname, username, password, ackTimeoutMs, connectTimeoutMs, gzip };
  return withRedactedView(resolved, () => redactForwardTransportOptions(resolved));
}

/** A copy of `options` safe to print: secrets (shared key, password, TLS key) become `[redacted]`. */
export function redactForwardTransportOptions(options: ResolvedForwardTransportOptions): Record<string, unknown> {
  const mask = (value: string): string => (value === "" ? "" : "[redacted]");
  const tls = options.tls === undefined ? false : { ...options.tls, ...(options.tls.key === undefined ? {} : { key: "[redacted]" }) };
  return { ...options, tls, sharedKey: mask(options.sharedKey), password: mask(options.password) };
}
