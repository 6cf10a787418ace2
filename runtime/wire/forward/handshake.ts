import { createHash, randomBytes } from "node:crypto";
import { asText, type MsgpackValue } from "../../transports/forward/frame-decoder.js";

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
export function isHelo(value: MsgpackValue): value is MsgpackValue[] {
  return Array.isArray(value) && asText(value[0]) === "HELO";
}

/**
 * Reads `["HELO", {nonce, auth, keepalive}]` leniently: Fluentd sends `nonce`/`auth` as bin,
 * Fluent Bit as str holding raw bytes; both are kept as bytes. Returns a reason string when
 * the message is not a usable HELO.
 */
export function parseHelo(value: MsgpackValue): Helo | string {
  if (!isHelo(value)) return "expected HELO";
  const options = value[1];
  if (!(options instanceof Map)) return "HELO without an options map";
  const nonce = options.get("nonce");
  if (!(nonce instanceof Uint8Array) || nonce.length === 0) return "HELO without a nonce";
  const auth = options.get("auth");
  const keepalive = options.get("keepalive");
  return {
    nonce,
    authSalt: auth instanceof Uint8Array ? auth : empty,
    keepalive: keepalive !== false,
  };
}

/**
 * Builds `["PING", self_hostname, shared_key_salt, sha512_hex(salt + self_hostname + nonce + key),
 * username, sha512_hex(auth_salt + username + password)]`, all fields str (Fluent Bit requires str).
 * Username and password digest are empty strings when no username is configured.
 */
export function buildPing(helo: Helo, credentials: HandshakeCredentials): Ping {
  const sharedKeySalt = randomBytes(16).toString("hex");
  const digest = sha512Hex(sharedKeySalt, credentials.selfHostname, helo.nonce, credentials.sharedKey);
  const passwordDigest =
    credentials.username === "" ? "" : sha512Hex(helo.authSalt, credentials.username, credentials.password);
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
export function checkPong(value: MsgpackValue, helo: Helo, ping: Ping, sharedKey: string): PongResult {
  if (!Array.isArray(value) || asText(value[0]) !== "PONG") {
    return { ok: false, code: "protocol", reason: "expected PONG after PING" };
  }
  if (value[1] !== true) {
    const said = (asText(value[2]) ?? "").slice(0, 200);
    return { ok: false, code: "rejected", reason: `receiver refused the handshake${said ? ` (${said})` : ""}` };
  }
  const serverHostname = asText(value[3]) ?? "";
  const expected = sha512Hex(ping.sharedKeySalt, serverHostname, helo.nonce, sharedKey);
  if (asText(value[4]) !== expected) {
    return { ok: false, code: "rejected", reason: "receiver's PONG digest does not match our shared key" };
  }
  return { ok: true, serverHostname };
}

function sha512Hex(...parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash("sha512");
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}
