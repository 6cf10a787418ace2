import type { StandardLogEntry } from "../../generated/index.js";
import { buildStandardLogEntry, writeStandardLogEntryMsgpackFields } from "../../generated/emp/telemetry/v1/log_contract.js";
import { writeTraceContextMsgpackFields } from "../../generated/emp/telemetry/v1/trace_context_contract.js";
import type { SplitTime } from "../wire/time-split.js";
import { MsgpackWriter } from "../wire/msgpack-writer.js";

/** The fields after the time, as the generated writer wrote them for one level, message, service and version. */
interface Tail {
  readonly level: number;
  readonly service: StandardLogEntry["service"];
  readonly contractVersion: string;
  /** All of them, for an entry outside a span. */
  readonly bytes: Uint8Array;
  readonly count: number;
  /** Those before a span's fields (level, message, service), and those after (the version). */
  readonly head: Uint8Array;
  readonly headCount: number;
  readonly end: Uint8Array;
  readonly endCount: number;
}

/** Most messages whose tails are remembered; past it they are forgotten at once (a service's messages repeat). */
const maxRememberedMessages = 256;

/** Bytes of the time's value as the writer writes it (`writeTimeIso`): a str8 header and 30 characters. */
const isoTimeBytes = 31;

/**
 * Writes an entry's own fields (all but its data) as the generated msgpack writer does, in fewer
 * steps for what repeats: an entry without an error has, after its time, the same fields (level,
 * message, service, contract version) as the last one with its message, so the generated writer
 * writes those once and they are copied after; a span's fields, between the service's and the
 * version, are written by the generated writer each time. The time is given split (no bigint): its
 * key as the generated writer wrote it once, its value by the writer's `writeTimeIsoSplit`, the text
 * the generated writer's `writeTimeIso` writes. Same bytes as `writeStandardLogEntryMsgpackFields`
 * of the entry with that time (a test checks). Not re-entrant.
 */
export class OwnFieldsWriter {
  readonly #tails = new Map<string, Tail>();
  /** The time field's key, as the generated writer writes it before the time's value. */
  readonly #timeKey: Uint8Array;
  /** An entry with a contract version only (its time 0, unset), for the tail's last piece. */
  readonly #versionOnly: StandardLogEntry = buildStandardLogEntry({});
  readonly #scratch = new MsgpackWriter(512);

  constructor() {
    const timeOnly = buildStandardLogEntry({ timeUnixNano: 1n });
    timeOnly.contractVersion = "";
    const { bytes, count } = this.#written(timeOnly);
    if (count !== 1 || bytes.length <= isoTimeBytes) throw new Error("the generated writer writes the time otherwise than as one ISO string field");
    this.#timeKey = bytes.slice(0, bytes.length - isoTimeBytes);
  }

  /**
   * Writes `entry`'s fields but its data (which must be empty) into `w`, with `time` as its time (its
   * own `timeUnixNano` is not read, but for an entry with an error); returns how many.
   */
  write(entry: StandardLogEntry, w: MsgpackWriter, time: SplitTime): number {
    if (entry.error !== undefined) return writeStandardLogEntryMsgpackFields(entry, w);
    w.writeRaw(this.#timeKey);
    w.writeTimeIsoSplit(time.second, time.nanos);
    const n = 1;
    const tail = this.#tail(entry);
    const trace = entry.trace;
    if (trace === undefined) {
      w.writeRaw(tail.bytes);
      return n + tail.count;
    }
    w.writeRaw(tail.head);
    const traced = writeTraceContextMsgpackFields(trace, w);
    w.writeRaw(tail.end);
    return n + tail.headCount + traced + tail.endCount;
  }

  #tail(entry: StandardLogEntry): Tail {
    const known = this.#tails.get(entry.message);
    if (known !== undefined && known.level === entry.level && known.service === entry.service && known.contractVersion === entry.contractVersion) return known;
    // The generated writer leaves out what is unset (a time of 0, no trace, an empty version): what it
    // writes of the entry without them, and of its version alone, are the pieces of the tail.
    const { timeUnixNano, trace, contractVersion } = entry;
    let all: { bytes: Uint8Array; count: number };
    let head: { bytes: Uint8Array; count: number };
    try {
      entry.timeUnixNano = 0n;
      entry.trace = undefined;
      all = this.#written(entry);
      entry.contractVersion = "";
      head = this.#written(entry);
    } finally {
      entry.timeUnixNano = timeUnixNano;
      entry.trace = trace;
      entry.contractVersion = contractVersion;
    }
    const versionOnly = this.#versionOnly;
    versionOnly.contractVersion = contractVersion;
    const end = this.#written(versionOnly);
    const tail: Tail = {
      level: entry.level,
      service: entry.service,
      contractVersion,
      bytes: all.bytes,
      count: all.count,
      head: head.bytes,
      headCount: head.count,
      end: end.bytes,
      endCount: end.count,
    };
    if (this.#tails.size >= maxRememberedMessages) this.#tails.clear();
    this.#tails.set(entry.message, tail);
    return tail;
  }

  /** What the generated writer writes of `entry`'s fields, and how many. */
  #written(entry: StandardLogEntry): { bytes: Uint8Array; count: number } {
    const scratch = this.#scratch;
    scratch.reset();
    const count = writeStandardLogEntryMsgpackFields(entry, scratch);
    return { bytes: scratch.toBytes(), count };
  }
}
