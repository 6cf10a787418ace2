import { hostname } from "node:os";
import type { ConnectionOptions } from "node:tls";
import { inspect } from "node:util";
import { TelemetryError } from "../../errors/telemetry-error.js";

/** TLS settings for the forward connection (passed to `node:tls`); `key` is treated as a secret. */
export type ForwardTlsOptions = Pick<ConnectionOptions, "ca" | "cert" | "key" | "servername" | "rejectUnauthorized">;

/** Options of {@link createForwardTransport}. Every field is optional; see {@link forwardTransportDefaults}. */
export interface ForwardTransportOptions {
  /** Receiver host. Env `FLUENTD_HOST`, default `127.0.0.1`. */
  host?: string;
  /** Receiver port. Env `FLUENTD_PORT`, default `24224`. */
  port?: number;
  /** `true` or TLS settings to connect with TLS (Fluentd `<transport tls>`, Fluent Bit `tls on`). Default off. */
  tls?: boolean | ForwardTlsOptions;
  /** Shared key for the HELO/PING/PONG handshake; empty = no handshake. Env `FLUENTD_SHARED_KEY`. Secret. */
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

/** {@link ForwardTransportOptions} after defaults and env are applied; secrets are redacted in inspect/JSON. */
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

/** Environment variables read by {@link resolveForwardTransportOptions}; code options win over them. */
export const forwardTransportEnv = Object.freeze({
  host: "FLUENTD_HOST",
  port: "FLUENTD_PORT",
  sharedKey: "FLUENTD_SHARED_KEY",
} as const);

const knownKeys: ReadonlySet<string> = new Set([
  "host", "port", "tls", "sharedKey", "selfHostname", "username", "password", "ackTimeoutMs", "connectTimeoutMs", "gzip",
]);
const secretKeys: ReadonlySet<string> = new Set(["sharedKey", "password"]);
const maxTimerMs = 2_147_483_647;

/**
 * Applies precedence (code > env > {@link forwardTransportDefaults}) and checks every value.
 *
 * Failure behaviour: throws one `TelemetryError` with code `config_invalid` naming every bad key,
 * its value (secrets shown as `[redacted]`) and an example of a right one. This is the only
 * place the forward transport throws.
 * @param env - environment to read, default `process.env`.
 */
export function resolveForwardTransportOptions(
  options: ForwardTransportOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedForwardTransportOptions {
  const problems: string[] = [];
  const bad = (key: string, value: unknown, expected: string): void => {
    const shown = secretKeys.has(key) ? "[redacted]" : typeof value === "string" ? JSON.stringify(value) : String(value);
    problems.push(`${key}=${shown} (expected ${expected})`);
  };
  for (const key of Object.keys(options)) if (!knownKeys.has(key)) bad(key, "…", "no such option; known: " + [...knownKeys].join(", "));

  const envPort = env[forwardTransportEnv.port];
  const host = options.host ?? (env[forwardTransportEnv.host] || forwardTransportDefaults.host);
  const port = options.port ?? (envPort ? Number(envPort) : forwardTransportDefaults.port);
  const sharedKey = options.sharedKey ?? env[forwardTransportEnv.sharedKey] ?? forwardTransportDefaults.sharedKey;
  const selfHostname = options.selfHostname ?? hostname();
  const username = options.username ?? forwardTransportDefaults.username;
  const password = options.password ?? forwardTransportDefaults.password;
  const ackTimeoutMs = options.ackTimeoutMs ?? forwardTransportDefaults.ackTimeoutMs;
  const connectTimeoutMs = options.connectTimeoutMs ?? forwardTransportDefaults.connectTimeoutMs;
  const gzip = options.gzip ?? forwardTransportDefaults.gzip;
  const tlsOption = options.tls ?? forwardTransportDefaults.tls;

  if (typeof host !== "string" || host === "") bad("host", host, 'a hostname, e.g. "fluentd.internal"');
  if (!Number.isInteger(port) || port < 1 || port > 65535) bad(options.port === undefined ? forwardTransportEnv.port : "port", envPort ?? port, "an integer 1..65535, e.g. 24224");
  if (typeof sharedKey !== "string") bad("sharedKey", sharedKey, "a string");
  if (typeof selfHostname !== "string" || selfHostname === "") bad("selfHostname", selfHostname, 'a hostname, e.g. "api-1"');
  if (typeof username !== "string") bad("username", username, 'a string, e.g. "telemetry"');
  if (typeof password !== "string") bad("password", password, "a string");
  if (username !== "" && sharedKey === "") bad("username", username, `a sharedKey (or ${forwardTransportEnv.sharedKey}) too: users are checked in the shared-key handshake`);
  for (const [key, value] of [["ackTimeoutMs", ackTimeoutMs], ["connectTimeoutMs", connectTimeoutMs]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > maxTimerMs) bad(key, value, "an integer number of milliseconds, e.g. 5000");
  }
  if (typeof gzip !== "boolean") bad("gzip", gzip, "true or false");
  if (typeof tlsOption !== "boolean" && (typeof tlsOption !== "object" || tlsOption === null)) bad("tls", tlsOption, "true, false or { ca, servername, rejectUnauthorized }");

  if (problems.length > 0) {
    throw new TelemetryError(`invalid forward transport options: ${problems.join("; ")}`, "config_invalid");
  }
  const tls = tlsOption === true ? {} : tlsOption === false ? undefined : { ...tlsOption };
  return redacted({ host, port, tls, sharedKey, selfHostname, username, password, ackTimeoutMs, connectTimeoutMs, gzip });
}

/** A copy of `options` safe to print: secrets (shared key, password, TLS key) become `[redacted]`. */
export function redactForwardTransportOptions(options: ResolvedForwardTransportOptions): Record<string, unknown> {
  const mask = (value: string): string => (value === "" ? "" : "[redacted]");
  const tls = options.tls === undefined ? false : { ...options.tls, ...(options.tls.key === undefined ? {} : { key: "[redacted]" }) };
  return { ...options, tls, sharedKey: mask(options.sharedKey), password: mask(options.password) };
}

function redacted(options: ResolvedForwardTransportOptions): ResolvedForwardTransportOptions {
  const show = (): Record<string, unknown> => redactForwardTransportOptions(options);
  Object.defineProperties(options, {
    [inspect.custom]: { value: (_depth: number, inspectOptions: object) => inspect(show(), inspectOptions) },
    toJSON: { value: show },
  });
  return Object.freeze(options);
}
