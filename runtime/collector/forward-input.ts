import { createServer, type Socket } from "node:net";
import { acceptingPong, checkPing, heloMessage, newServerHelo, refusingPong } from "../wire/forward/handshake.js";
import { ackMessage, chunkToAck, eventTimeOf, forwardEntries, packMessage, parseForwardMessage } from "../wire/forward/protocol.js";
import { isDecodedMap, MsgpackStreamDecoder, type DecodedValue } from "../wire/msgpack-decoder.js";
import { plainRecordOf, type CollectorIntake, type IncomingRecord } from "./collector-records.js";
import { listen, type RunningServer } from "./listening.js";

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

const nanosPerSecond = 1_000_000_000n;

/** Nanoseconds of an entry time: EventTime (ext 0) or integer/float seconds. */
function timeNanos(t: unknown): bigint | undefined {
  const event = eventTimeOf(t);
  if (event !== undefined) return BigInt(event[0]) * nanosPerSecond + BigInt(event[1]);
  if (typeof t === "number" && Number.isFinite(t) && t >= 0) return BigInt(Math.floor(t)) * nanosPerSecond + BigInt(Math.round((t % 1) * 1e9));
  if (typeof t === "bigint" && t >= 0n) return t * nanosPerSecond;
  return undefined;
}

function entry(tag: string, time: unknown, record: unknown): IncomingRecord | string {
  const nanos = timeNanos(time);
  if (nanos === undefined) return "entry time is neither an EventTime nor a number";
  if (!isDecodedMap(record)) return "entry record is not a map";
  return { kind: "fluent", tag, timeNanos: nanos, record: plainRecordOf(record) };
}

/**
 * The records of one forward message, in any of the four modes (see `wire/forward/protocol.ts`),
 * and the chunk to acknowledge; or why the message is refused.
 */
function recordsOf(message: DecodedValue, maxBytes: number): { readonly records: IncomingRecord[]; readonly chunk: unknown } | string {
  const parsed = parseForwardMessage(message);
  if (typeof parsed === "string") return parsed;
  const entries = forwardEntries(parsed, { maxBytes });
  if (typeof entries === "string") return entries;
  const records: IncomingRecord[] = [];
  for (const [time, record] of entries) {
    const e = entry(parsed.tag, time, record);
    if (typeof e === "string") return e;
    records.push(e);
  }
  return { records, chunk: chunkToAck(parsed.option) };
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
    const helo = newServerHelo();
    let authenticated = options.sharedKey === "";
    let refused = false;
    socket.on("error", () => socket.destroy());
    if (!authenticated) socket.write(packMessage(heloMessage(helo)));

    const fail = (reason: string): void => {
      intake.reject("forward", reason);
      refused = true;
      socket.destroy();
    };

    const handshake = (message: DecodedValue): void => {
      const ping = checkPing(message, helo, { sharedKey: options.sharedKey });
      if (!ping.ok) {
        if (ping.code === "not_ping") {
          fail(ping.reason);
          return;
        }
        intake.reject("forward", `shared key mismatch (PING from ${JSON.stringify(ping.clientHostname.slice(0, 100))})`);
        refused = true;
        socket.end(packMessage(refusingPong(ping.reason)));
        return;
      }
      authenticated = true;
      socket.write(packMessage(acceptingPong(ping, helo, options.selfHostname, options.sharedKey)));
    };

    const event = (message: DecodedValue): void => {
      const batch = recordsOf(message, options.maxMessageBytes);
      if (typeof batch === "string") {
        fail(batch);
        return;
      }
      // A refused batch (over a cap, counted) gets no ack: the client retries or gives up.
      const refused = intake.accept({ source: "forward", records: batch.records });
      if (refused === undefined && batch.chunk !== undefined) socket.write(packMessage(ackMessage(batch.chunk)));
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
