/** Both sides of the shared-key handshake against each other, through msgpack bytes. */
import { describe, expect, it } from "vitest";
import {
  acceptingPong,
  buildPing,
  checkPing,
  checkPong,
  heloMessage,
  newServerHelo,
  parseHelo,
  refusingPong,
  type Helo,
  type ServerHelo,
} from "../../runtime/wire/forward/handshake.js";
import { packMessage } from "../../runtime/wire/forward/protocol.js";
import { decodeAllMsgpack } from "../../runtime/wire/msgpack-decoder.js";

/** A message as the peer reads it: written with our writer, read with our reader. */
function overTheWire(message: unknown): unknown {
  const values = decodeAllMsgpack(packMessage(message));
  if (typeof values === "string" || values.length !== 1) throw new Error(`not one message: ${String(values)}`);
  return values[0];
}

function clientHelo(server: ServerHelo): Helo {
  const helo = parseHelo(overTheWire(heloMessage(server)));
  if (typeof helo === "string") throw new Error(helo);
  return helo;
}

const client = { selfHostname: "client-a", sharedKey: "k3y", username: "", password: "" };

describe("forward handshake", () => {
  it("completes when both sides hold the same key, each checking the other's digest", () => {
    const server = newServerHelo();
    const helo = clientHelo(server);
    expect(helo.nonce).toEqual(new Uint8Array(server.nonce));
    const ping = buildPing(helo, client);
    const check = checkPing(overTheWire(ping.message), server, { sharedKey: "k3y" });
    expect(check).toMatchObject({ ok: true, clientHostname: "client-a" });
    if (!check.ok) return;
    const pong = overTheWire(acceptingPong(check, server, "server-b", "k3y"));
    expect(checkPong(pong, helo, ping, "k3y")).toEqual({ ok: true, serverHostname: "server-b" });
  });

  it("refuses a PING made with another key, and the client reads the refusal", () => {
    const server = newServerHelo();
    const helo = clientHelo(server);
    const ping = buildPing(helo, { ...client, sharedKey: "wrong" });
    const check = checkPing(overTheWire(ping.message), server, { sharedKey: "k3y" });
    expect(check).toMatchObject({ ok: false, code: "shared_key", reason: "shared_key mismatch" });
    const pong = checkPong(overTheWire(refusingPong("shared_key mismatch")), helo, ping, "wrong");
    expect(pong).toMatchObject({ ok: false, code: "rejected", reason: expect.stringMatching(/shared_key mismatch/) });
  });

  it("lets the client catch a server whose PONG digest was made with another key", () => {
    const server = newServerHelo();
    const helo = clientHelo(server);
    const ping = buildPing(helo, client);
    const check = checkPing(overTheWire(ping.message), server, { sharedKey: "k3y" });
    if (!check.ok) throw new Error(check.reason);
    const pong = overTheWire(acceptingPong(check, server, "server-b", "impostor"));
    expect(checkPong(pong, helo, ping, "k3y")).toMatchObject({ ok: false, code: "rejected" });
  });

  it("checks the username and password digest when the server has users", () => {
    const server = newServerHelo(true);
    const helo = clientHelo(server);
    expect(helo.authSalt.length).toBe(16);
    const users = { alice: "pw" };
    const good = buildPing(helo, { ...client, username: "alice", password: "pw" });
    expect(checkPing(overTheWire(good.message), server, { sharedKey: "k3y", users })).toMatchObject({ ok: true });
    const bad = buildPing(helo, { ...client, username: "alice", password: "nope" });
    expect(checkPing(overTheWire(bad.message), server, { sharedKey: "k3y", users })).toMatchObject({ ok: false, code: "password" });
    const unknown = buildPing(helo, { ...client, username: "__proto__", password: "pw" });
    expect(checkPing(overTheWire(unknown.message), server, { sharedKey: "k3y", users })).toMatchObject({ ok: false, code: "password" });
  });

  it("reads a Fluent Bit HELO whose nonce is str holding raw bytes, valid UTF-8 or not", () => {
    for (const nonce of [Uint8Array.of(0xff, 0xfe, 0x00, 0x80), Uint8Array.of(0xef, 0xbb, 0xbf, 0x41)]) {
      const bytes = Uint8Array.from([0x92, 0xa4, ...Buffer.from("HELO"), 0x81, 0xa5, ...Buffer.from("nonce"), 0xa0 | nonce.length, ...nonce]);
      const [value] = decodeAllMsgpack(bytes) as unknown[];
      const helo = parseHelo(value);
      expect(typeof helo !== "string" && [...helo.nonce]).toEqual([...nonce]);
    }
  });

  it("answers anything but a PING after HELO as not_ping", () => {
    expect(checkPing(["PONG"], newServerHelo(), { sharedKey: "k" })).toMatchObject({ ok: false, code: "not_ping" });
  });
});
