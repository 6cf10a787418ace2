import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { MsgpackWriter } from "../wire/msgpack-writer.js";
import { plainRecordOf, type CollectorIntake, type IncomingRecord } from "./collector-records.js";
import { listen, type RunningServer } from "./listening.js";
import { decodeAllMsgpack, eventTimeOf, MsgpackStreamDecoder, type DecodedValue } from "../wire/msgpack-decoder.js";

/** Options of {@link startForwardInput}. */
export interface ForwardInputOptions {
  readonly host: string;
  readonly port: number;
  /** `""`: no handshake. */
  readonly sharedKey: string;
  readonly selfHostname: string;
  /** Largest message (and gunzipped PackedForward body) in bytes. */
  readonly maxMessageBytes: number;
}

type Entries = { readonly ok: true; readonly records: IncomingRecord[]; readonly option: DecodedValue | undefined } | { readonly ok: false; readonly reason: string };

const nanosPerSecond = 1_000_000_000n;

function sha512Hex(...parts: ReadonlyArray<string | Uint8Array>): string {
  const hash = createHash("sha512");
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function encode(value: unknown): Uint8Array {
  const writer = new MsgpackWriter(256);
  writer.writeValue(value);
  return writer.toBytes();
}

function isMap(v: DecodedValue | undefined): v is { [key: string]: DecodedValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Nanoseconds of an entry time: EventTime (ext 0) or integer/float seconds. */
function timeNanos(t: DecodedValue | undefined): bigint | undefined {
  const event = eventTimeOf(t);
  if (event !== undefined) return BigInt(event[0]) * nanosPerSecond + BigInt(event[1]);
  if (typeof t === "number" && Number.isFinite(t) && t >= 0) return BigInt(Math.floor(t)) * nanosPerSecond + BigInt(Math.round((t % 1) * 1e9));
  if (typeof t === "bigint" && t >= 0n) return t * nanosPerSecond;
  return undefined;
}

function entry(tag: string, time: DecodedValue | undefined, record: DecodedValue | undefined): IncomingRecord | string {
  const nanos = timeNanos(time);
  if (nanos === undefined) return "entry time is neither an EventTime nor a number";
  if (!isMap(record)) return "entry record is not a map";
  return { kind: "fluent", tag, timeNanos: nanos, record: plainRecordOf(record) };
}

/**
 * The entries of one forward message, in any of the four modes: Message `[tag, time, record, option?]`,
 * Forward `[tag, [[time, record], …], option?]`, PackedForward `[tag, bin|str, option?]` and
 * CompressedPackedForward (PackedForward with `compressed: "gzip"`).
 */
function entriesOf(message: DecodedValue[], maxBytes: number): Entries {
  const tag = message[0];
  if (typeof tag !== "string" || tag === "") return { ok: false, reason: "message without a tag" };
  const body = message[1];
  const records: IncomingRecord[] = [];
  const add = (time: DecodedValue | undefined, record: DecodedValue | undefined): string | undefined => {
    const e = entry(tag, time, record);
    if (typeof e === "string") return e;
    records.push(e);
    return undefined;
  };
  if (Array.isArray(body)) {
    for (const item of body) {
      const problem = Array.isArray(item) ? add(item[0], item[1]) : "Forward entry is not [time, record]";
      if (problem !== undefined) return { ok: false, reason: problem };
    }
    return { ok: true, records, option: message[2] };
  }
  if (body instanceof Uint8Array || typeof body === "string") {
    const option = message[2];
    let bytes: Uint8Array = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    if (isMap(option) && option["compressed"] === "gzip") {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
      } catch (e: unknown) {
        return { ok: false, reason: `CompressedPackedForward entries do not gunzip: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    const decoded = decodeAllMsgpack(bytes);
    if (typeof decoded === "string") return { ok: false, reason: `PackedForward entries are not msgpack: ${decoded}` };
    for (const item of decoded) {
      const problem = Array.isArray(item) ? add(item[0], item[1]) : "PackedForward entry is not [time, record]";
      if (problem !== undefined) return { ok: false, reason: problem };
    }
    return { ok: true, records, option };
  }
  const problem = add(body, message[2]);
  return problem === undefined ? { ok: true, records, option: message[3] } : { ok: false, reason: problem };
}

/**
 * Starts the Fluentd forward protocol v1 input: every event mode, EventTime and integer times,
 * `{ack: chunk}` after the records are stored, and with a shared key the HELO/PING/PONG handshake
 * as Fluentd plays it (bin nonce and auth salt; a wrong key gets `["PONG", false, reason, "", ""]`
 * and the connection is closed).
 *
 * Failure behaviour: a message that is not forward protocol, a bad handshake or a message larger
 * than `maxMessageBytes` is counted as an error of the `forward` hop and the connection is closed;
 * records of other connections are unaffected. Rejects only when the port cannot be bound.
 */
export async function startForwardInput(options: ForwardInputOptions, intake: CollectorIntake): Promise<RunningServer> {
  const serve = (socket: Socket): void => {
    const decoder = new MsgpackStreamDecoder(options.maxMessageBytes);
    const nonce = randomBytes(16);
    let authenticated = options.sharedKey === "";
    let refused = false;
    socket.on("error", () => socket.destroy());
    if (!authenticated) socket.write(encode(["HELO", { nonce, auth: new Uint8Array(0), keepalive: true }]));

    const fail = (reason: string): void => {
      intake.reject("forward", reason);
      refused = true;
      socket.destroy();
    };

    const handshake = (message: DecodedValue): void => {
      if (!Array.isArray(message) || message[0] !== "PING") return fail("expected PING after HELO");
      const [, hostname, salt, digest] = message;
      const host = typeof hostname === "string" ? hostname : "";
      const saltBytes = typeof salt === "string" || salt instanceof Uint8Array ? salt : "";
      const expected = sha512Hex(saltBytes, host, nonce, options.sharedKey);
      if (typeof digest !== "string" || !sameText(digest, expected)) {
        intake.reject("forward", `shared key mismatch (PING from ${JSON.stringify(host.slice(0, 100))})`);
        refused = true;
        socket.end(encode(["PONG", false, "shared_key mismatch", "", ""]));
        return;
      }
      authenticated = true;
      socket.write(encode(["PONG", true, "", options.selfHostname, sha512Hex(saltBytes, options.selfHostname, nonce, options.sharedKey)]));
    };

    const event = (message: DecodedValue): void => {
      if (!Array.isArray(message) || message.length < 2) return fail("not a forward message (expected [tag, …])");
      const entries = entriesOf(message, options.maxMessageBytes);
      if (!entries.ok) return fail(entries.reason);
      intake.accept({ source: "forward", records: entries.records });
      const chunk = isMap(entries.option) ? entries.option["chunk"] : undefined;
      if (chunk !== undefined && chunk !== null) socket.write(encode({ ack: chunk }));
    };

    socket.on("data", (chunk: Buffer) => {
      if (refused) return;
      decoder.push(chunk);
      for (;;) {
        const step = decoder.next();
        if (step.kind === "incomplete") return;
        if (step.kind === "invalid") return fail(`not msgpack: ${step.reason}`);
        if (authenticated) event(step.value);
        else handshake(step.value);
        if (refused) return;
      }
    });
  };
  return listen(createServer(serve), options.host, options.port, "forward");
}
