/** Records carrying a sequence number, their forward encoding, and how to read them back from frames. */
import type { ForwardBatch } from "../../runtime/transports/forward/forward-transport.js";
import { MsgpackWriter } from "../../runtime/wire/msgpack-writer.js";
import type { ReceivedFrame } from "./forward-receiver.js";

export interface SeqRecord {
  readonly seq: number;
  readonly msg: string;
}

/** An `encode` for a sink: PackedForward entries `[EventTime, {seq, msg}]` under `tag`. */
export function encodeSeqRecords(tag: string): (records: SeqRecord[]) => ForwardBatch {
  const writer = new MsgpackWriter(64 * 1024);
  return (records) => {
    writer.reset();
    for (const record of records) writer.writeEntry(1_700_000_000, record.seq % 1_000_000_000, record);
    const body = writer.toBytes();
    return { tag, body, count: records.length, bytes: body.byteLength };
  };
}

/** Every `seq` received, duplicates included, in arrival order. */
export function receivedSeqs(frames: readonly ReceivedFrame[]): number[] {
  return frames.flatMap((frame) => frame.entries.map(([, record]) => record.seq as number));
}
