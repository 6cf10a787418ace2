import { createServer, type Socket } from "node:net";
import { acceptingPong, checkPing, heloMessage, newServerHelo, refusingPong } from "../wire/forward/handshake.js";
import { ackMessage, chunkToAck, eventTimeOf, forwardEntries, packMessage, parseForwardMessage } from "../wire/forward/protocol.js";
import { decodeAllMsgpack, isDecodedMap, MsgpackStreamDecoder, type DecodedValue } from "../wire/msgpack-decoder.js";
import { plainRecordOf, type CollectorIntake, type IncomingRecord } from "./collector-records.js";
import { ForwardReassembly, PendingBudget } from "./forward-reassembly.js";
import { listen, type RunningServer } from "./listening.js";
import { countMsgpackItems, countMsgpackRecords, forwardModeEntryCount } from "./msgpack-framer.js";

/** Options of {@link startForwardInput}. */
export interface ForwardInputOptions {
  readonly host: string;
  readonly port: number;
  /** `""`: no handshake. */
  readonly sharedKey: string;
  readonly selfHostname: string;
  /** Largest message (and gunzipped PackedForward body) in bytes: also each connection's budget for an incomplete message. */
  readonly maxMessageBytes: number;
  /** A connection that sends nothing for this long is closed. */
  readonly idleTimeoutMs: number;
  /** Open connections at most; later ones are closed at once. */
  readonly maxConnections: number;
  /** Bytes of incomplete messages all connections may hold together; the connection that would exceed it is closed. */
  readonly maxPendingBytes: number;
}

/** Connection counts of the forward input, for the status API. */
export interface ForwardConnectionStats {
  /** Connections open now. */
  readonly open: number;
  /** Connections closed at once because `forwardMaxConnections` were open. */
  readonly refused: number;
  /** Connections closed after `forwardIdleTimeoutMs` without a byte. */
  readonly idleClosed: number;
  /** Connections dropped because an incomplete message exceeded `maxBodyBytes` or the global `forwardMaxPendingBytes`. */
  readonly overBudget: number;
  /** Bytes of incomplete messages held now. */
  readonly pendingBytes: number;
}

/** The running forward input and its connection counts. */
export interface ForwardInput extends RunningServer {
  stats(): ForwardConnectionStats;
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

/** Values a PING may hold (it has 6): a larger message before the handshake is refused undecoded. */
const maxPingItems = 64;

/** One message's bytes decoded (the framer found its end), or why not. */
function decodeOne(bytes: Buffer): { readonly ok: true; readonly value: DecodedValue } | { readonly ok: false; readonly reason: string } {
  const decoder = new MsgpackStreamDecoder(bytes.length);
  decoder.push(bytes);
  const step = decoder.next();
  return step.kind === "value" ? { ok: true, value: step.value } : { ok: false, reason: `not msgpack: ${step.kind === "invalid" ? step.reason : "truncated"}` };
}

/** Admission of a message's records before they are decoded: `false` when refused (counted). */
interface EntryAdmission {
  readonly limit: number;
  /** Most nested items (of the message, and of packed entries once decompressed). */
  readonly maxItems: number;
  /** Whether the entries were admitted already (Forward mode, counted from the raw message). */
  readonly done: boolean;
  admit(count: number, items?: number): boolean;
}

/**
 * The records of one forward message, in any of the four modes (see `wire/forward/protocol.ts`),
 * and the chunk to acknowledge; `undefined` when admission refused them (packed entries are
 * counted before they are decoded); or why the message is refused.
 */
function recordsOf(
  message: DecodedValue,
  maxBytes: number,
  admission: EntryAdmission,
): { readonly records: IncomingRecord[]; readonly chunk: unknown } | string | undefined {
  const parsed = parseForwardMessage(message);
  if (typeof parsed === "string") return parsed;
  if (!("packed" in parsed) && !admission.done && !admission.admit(parsed.entries.length)) return undefined;
  let refused = false;
  const decodeAll = (bytes: Uint8Array): readonly unknown[] | string => {
    if (admission.admit(countMsgpackRecords(bytes, admission.limit), countMsgpackItems(bytes, admission.maxItems))) return decodeAllMsgpack(bytes);
    refused = true;
    return "refused";
  };
  const entries = forwardEntries(parsed, { maxBytes, decodeAll });
  if (refused) return undefined;
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
 * Failure behaviour: a message that is not forward protocol, a bad handshake, a message larger
 * than `maxMessageBytes` or incomplete messages over the global `maxPendingBytes` are counted as
 * errors of the `forward` hop and the connection is closed; records of other connections are
 * unaffected. Connections idle for `idleTimeoutMs` are closed, and beyond `maxConnections` new ones
 * are closed at once (both counted in {@link ForwardInput.stats}). Messages are reassembled in
 * linear time (see {@link ForwardReassembly}). Rejects only when the port cannot be bound.
 */
export async function startForwardInput(options: ForwardInputOptions, intake: CollectorIntake): Promise<ForwardInput> {
  const budget = new PendingBudget(options.maxPendingBytes);
  const counts = { open: 0, refused: 0, idleClosed: 0, overBudget: 0 };
  const serve = (socket: Socket): void => {
    socket.on("error", () => socket.destroy());
    if (counts.open >= options.maxConnections) {
      counts.refused++;
      socket.destroy();
      return;
    }
    counts.open++;
    const reassembly = new ForwardReassembly(options.maxMessageBytes, budget);
    socket.once("close", () => {
      counts.open--;
      reassembly.release();
    });
    socket.setTimeout(options.idleTimeoutMs, () => {
      counts.idleClosed++;
      socket.destroy();
    });
    const helo = newServerHelo();
    let authenticated = options.sharedKey === "";
    let refused = false;
    if (!authenticated) socket.write(packMessage(heloMessage(helo)));

    const fail = (reason: string): void => {
      intake.reject("forward", reason);
      refused = true;
      reassembly.release();
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

    const admit = (count: number, items = 0): boolean => intake.admit("forward", count, items) === undefined;
    const maxItems = intake.maxItemsPerRequest;
    // A refused batch (over a cap, counted) gets no ack: the client retries or gives up.
    const event = (bytes: Buffer): void => {
      const peeked = forwardModeEntryCount(bytes);
      if (!admit(peeked ?? 0, countMsgpackItems(bytes, maxItems))) return;
      const message = decodeOne(bytes);
      if (!message.ok) {
        fail(message.reason);
        return;
      }
      const batch = recordsOf(message.value, options.maxMessageBytes, { limit: intake.maxRecordsPerRequest, maxItems, done: peeked !== undefined, admit });
      if (batch === undefined) return;
      if (typeof batch === "string") {
        fail(batch);
        return;
      }
      intake.accept({ source: "forward", records: batch.records });
      if (batch.chunk !== undefined) socket.write(packMessage(ackMessage(batch.chunk)));
    };

    socket.on("data", (chunk: Buffer) => {
      if (refused) return;
      const failure = reassembly.push(chunk, (bytes) => {
        if (authenticated) event(bytes);
        else if (countMsgpackItems(bytes, maxPingItems) > maxPingItems) fail(`a PING has at most ${maxPingItems} values`);
        else {
          const message = decodeOne(bytes);
          if (message.ok) handshake(message.value);
          else fail(message.reason);
        }
        return !refused;
      });
      if (failure === undefined) return;
      if (failure.kind === "overBudget") counts.overBudget++;
      fail(failure.reason);
    });
  };
  const server = await listen(createServer(serve), options.host, options.port, "forward");
  return { ...server, stats: () => ({ ...counts, pendingBytes: budget.held }) };
}
