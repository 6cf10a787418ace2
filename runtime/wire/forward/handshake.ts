/**
 * The forward protocol's optional shared-key handshake, both sides. A server that wants a key opens
 * with `["HELO", {nonce, auth, keepalive}]`; the client answers `["PING", self_hostname,
 * shared_key_salt, sha512_hex(salt + self_hostname + nonce + key), username,
 * sha512_hex(auth_salt + username + password)]`; the server answers `["PONG", true, "",
 * server_hostname, sha512_hex(salt + server_hostname + nonce + key)]`, or `["PONG", false, reason,
 * "", ""]` (Fluentd; Fluent Bit closes the connection instead). Messages are decoded values (our
 * reader's or @msgpack/msgpack's: str as string, or bytes when not UTF-8; maps as plain objects).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { asText, isDecodedMap } from "../msgpack-decoder.js";

/** What a forward receiver's HELO offers: the nonce for the shared-key digest and the user-auth salt. */
export interface Helo {
  readonly nonce: Uint8Array;
  /** Salt for the password digest; empty when the receiver does not ask for users. */
  readonly authSalt: Uint8Array;
  readonly keepalive: boolean;
}

/** Credentials for the shared-key handshake. */
export interface HandshakeCredentials {
  readonly selfHostname: string;
  readonly sharedKey: string;
  readonly username: string;
  readonly password: string;
}

/** A PING to send and the salt needed to check the PONG. */
export interface Ping {
  readonly message: readonly string[];
  readonly sharedKeySalt: string;
}

/** Outcome of {@link checkPong}. `reason` never contains the shared key. */
export type PongResult =
  | { readonly ok: true; readonly serverHostname: string }
  | { readonly ok: false; readonly code: "rejected" | "protocol"; readonly reason: string };

const empty = new Uint8Array(0);

/** Whether a decoded message is a HELO (`["HELO", {...}]`), str or bin. */
export function isHelo(value: unknown): value is unknown[] {
  return Array.isArray(value) && asText(value[0]) === "HELO";
}

/**
 * Reads `["HELO", {nonce, auth, keepalive}]` leniently: Fluentd sends `nonce`/`auth` as bin,
 * Fluent Bit as str holding raw bytes; both are kept as bytes. Returns a reason string when
 * the message is not a usable HELO.
 */
export function parseHelo(value: unknown): Helo | string {
  if (!isHelo(value)) return "expected HELO";
  const options = value[1];
  if (!isDecodedMap(options)) return "HELO without an options map";
  const nonce = bytesOf(options.nonce);
  if (nonce === undefined || nonce.length === 0) return "HELO without a nonce";
  return {
    nonce,
    authSalt: bytesOf(options.auth) ?? empty,
    keepalive: options.keepalive !== false,
  };
}

/**
 * Builds `["PING", self_hostname, shared_key_salt, sha512_hex(salt + self_hostname + nonce + key),
 * username, sha512_hex(auth_salt + username + password)]`, all fields str (Fluent Bit requires str).
 * Username and password digest are empty strings when no username is configured.
 */
export function buildPing(helo: Helo, credentials: HandshakeCredentials): Ping {
  const sharedKeySalt = randomBytes(16).toString("hex");
  const digest = sharedKeyDigest(sharedKeySalt, credentials.selfHostname, helo.nonce, credentials.sharedKey);
  const passwordDigest = credentials.username === "" ? "" : passwordDigestOf(helo.authSalt, credentials.username, credentials.password);
  return {
    message: ["PING", credentials.selfHostname, sharedKeySalt, digest, credentials.username, passwordDigest],
    sharedKeySalt,
  };
}

/**
 * Checks `["PONG", auth_result, reason, server_hostname, sha512_hex(salt + server_hostname + nonce + key)]`.
 * A refusal (Fluentd: `auth_result` false with a reason) or a server digest that does not match our
 * key gives `rejected`; anything that is not a PONG gives `protocol`.
 */
export function checkPong(value: unknown, helo: Helo, ping: Ping, sharedKey: string): PongResult {
  if (!Array.isArray(value) || asText(value[0]) !== "PONG") {
    return { ok: false, code: "protocol", reason: "expected PONG after PING" };
  }
  if (value[1] !== true) {
    const said = (asText(value[2]) ?? "").slice(0, 200);
    return { ok: false, code: "rejected", reason: `receiver refused the handshake${said ? ` (${said})` : ""}` };
  }
  const serverHostname = asText(value[3]) ?? "";
  const expected = sharedKeyDigest(ping.sharedKeySalt, serverHostname, helo.nonce, sharedKey);
  if (asText(value[4]) !== expected) {
    return { ok: false, code: "rejected", reason: "receiver's PONG digest does not match our shared key" };
  }
  return { ok: true, serverHostname };
}

/** What a server's HELO offered, kept to check the PING. */
export interface ServerHelo {
  readonly nonce: Uint8Array;
  /** Salt for the password digest; empty when the server has no users. */
  readonly authSalt: Uint8Array;
}

/** A server's side of the handshake: its key, and the users it accepts (none: any username). */
export interface ServerCredentials {
  readonly sharedKey: string;
  readonly users?: Readonly<Record<string, string>>;
}

/** Outcome of {@link checkPing}: the PING's hostname and salt, or why it is refused (`reason` is Fluentd's text). */
export type PingCheck =
  | { readonly ok: true; readonly clientHostname: string; readonly sharedKeySalt: string | Uint8Array }
  | { readonly ok: false; readonly code: "not_ping" | "shared_key" | "password"; readonly clientHostname: string; readonly reason: string };

/** A fresh nonce (and auth salt when `withUsers`), 16 random bytes each, for a server's HELO. */
export function newServerHelo(withUsers = false): ServerHelo {
  return { nonce: randomBytes(16), authSalt: withUsers ? randomBytes(16) : empty };
}

/** `["HELO", {nonce, auth, keepalive: true}]` as Fluentd sends it (nonce and salt as bin). */
export function heloMessage(helo: ServerHelo): readonly unknown[] {
  return ["HELO", { nonce: helo.nonce, auth: helo.authSalt, keepalive: true }];
}

/**
 * Checks a client's PING against the HELO sent: the shared-key digest, then (when the server has
 * users) the username and password digest, comparing digests in constant time.
 */
export function checkPing(value: unknown, helo: ServerHelo, server: ServerCredentials): PingCheck {
  if (!Array.isArray(value) || asText(value[0]) !== "PING") {
    return { ok: false, code: "not_ping", clientHostname: "", reason: "expected PING after HELO" };
  }
  const [, hostname, salt, digest, username, passwordDigest] = value as unknown[];
  const clientHostname = asText(hostname) ?? "";
  const sharedKeySalt = typeof salt === "string" || salt instanceof Uint8Array ? salt : "";
  const expected = sharedKeyDigest(sharedKeySalt, clientHostname, helo.nonce, server.sharedKey);
  if (typeof digest !== "string" || !sameText(digest, expected)) {
    return { ok: false, code: "shared_key", clientHostname, reason: "shared_key mismatch" };
  }
  const users = server.users;
  if (users !== undefined) {
    const user = typeof username === "string" && Object.hasOwn(users, username) ? username : undefined;
    const password = user === undefined ? undefined : users[user];
    if (
      user === undefined ||
      password === undefined ||
      typeof passwordDigest !== "string" ||
      !sameText(passwordDigest, passwordDigestOf(helo.authSalt, user, password))
    ) {
      return { ok: false, code: "password", clientHostname, reason: "username/password mismatch" };
    }
  }
  return { ok: true, clientHostname, sharedKeySalt };
}

/** `["PONG", true, "", server_hostname, digest]`: the answer to a PING that {@link checkPing} accepted. */
export function acceptingPong(
  ping: { readonly sharedKeySalt: string | Uint8Array },
  helo: ServerHelo,
  serverHostname: string,
  sharedKey: string,
): readonly unknown[] {
  return ["PONG", true, "", serverHostname, sharedKeyDigest(ping.sharedKeySalt, serverHostname, helo.nonce, sharedKey)];
}

/** `["PONG", false, reason, "", ""]`: Fluentd's refusal (Fluent Bit closes the connection instead). */
export function refusingPong(reason: string): readonly unknown[] {
  return ["PONG", false, reason, "", ""];
}

/** `sha512_hex(salt + hostname + nonce + shared_key)`: the PING's digest (client hostname) and the PONG's (server hostname). */
export function sharedKeyDigest(salt: string | Uint8Array, hostname: string, nonce: Uint8Array, sharedKey: string): string {
  return sha512Hex(salt, hostname, nonce, sharedKey);
}

/** `sha512_hex(auth_salt + username + password)`: the PING's password digest. */
export function passwordDigestOf(authSalt: Uint8Array, username: string, password: string): string {
  return sha512Hex(authSalt, username, password);
}

/** A str (its UTF-8 bytes, which our reader keeps exact) or bin as bytes; `undefined` otherwise. */
function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  return typeof value === "string" ? Buffer.from(value, "utf8") : undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function sha512Hex(...parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash("sha512");
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}
