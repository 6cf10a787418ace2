import type { StandardLogEntry } from "../../generated/index.js";
import { buildStandardLogEntry, writeStandardLogEntryMsgpackFields } from "../../generated/emp/telemetry/v1/log_contract.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";

/** The fields after the time, as the generated writer wrote them for one level, message, service and version. */
interface Tail {
  readonly level: number;
  readonly service: StandardLogEntry["service"];
  readonly contractVersion: string;
  readonly bytes: Uint8Array;
  readonly count: number;
}

/** Most messages whose tails are remembered; past it they are forgotten at once (a service's messages repeat). */
const maxRememberedMessages = 256;

/**
 * Writes an entry's own fields (all but its data) as the generated msgpack writer does, in fewer
 * steps for what repeats: an entry outside a span and without an error has, after its time, the same
 * fields (level, message, service, contract version) as the last one with its message, so the
 * generated writer writes those once and they are copied after. The time is written by the generated
 * writer too, from an entry that holds nothing else. Same bytes as `writeStandardLogEntryMsgpackFields`
 * (a test checks). Not re-entrant.
 */
export class OwnFieldsWriter {
  readonly #tails = new Map<string, Tail>();
  /** An entry with a time only, for the generated writer to write the time field from. */
  readonly #timeOnly: StandardLogEntry;
  readonly #scratch = new MsgpackWriter(512);

  constructor() {
    const timeOnly = buildStandardLogEntry({ timeUnixNano: 1n });
    timeOnly.contractVersion = "";
    this.#timeOnly = timeOnly;
  }

  /** Writes `entry`'s fields but its data (which must be empty) into `w`; returns how many. */
  write(entry: StandardLogEntry, w: MsgpackWriter): number {
    if (entry.trace !== undefined || entry.error !== undefined) return writeStandardLogEntryMsgpackFields(entry, w);
    const timeOnly = this.#timeOnly;
    timeOnly.timeUnixNano = entry.timeUnixNano;
    const n = writeStandardLogEntryMsgpackFields(timeOnly, w);
    const tail = this.#tail(entry);
    w.writeRaw(tail.bytes);
    return n + tail.count;
  }

  #tail(entry: StandardLogEntry): Tail {
    const known = this.#tails.get(entry.message);
    if (known !== undefined && known.level === entry.level && known.service === entry.service && known.contractVersion === entry.contractVersion) return known;
    // The generated writer leaves out a time of 0 (unset): what it writes then is the tail.
    const time = entry.timeUnixNano;
    const scratch = this.#scratch;
    scratch.reset();
    entry.timeUnixNano = 0n;
    let count: number;
    try {
      count = writeStandardLogEntryMsgpackFields(entry, scratch);
    } finally {
      entry.timeUnixNano = time;
    }
    const tail: Tail = { level: entry.level, service: entry.service, contractVersion: entry.contractVersion, bytes: scratch.toBytes(), count };
    if (this.#tails.size >= maxRememberedMessages) this.#tails.clear();
    this.#tails.set(entry.message, tail);
    return tail;
  }
}
