import type { DiskSpool } from "./disk-spool.js";
import { maxSpillBufferBytes, type SpillOutcome } from "./spill-backlog.js";

/** What the sink's drop diagnostic needs of its memory queue. */
interface BoundedQueue {
  readonly maxQueueBytes: number;
}

/**
 * The diagnostic of a sink with a spool that dropped a record of `bytes`: names what refused it (a record
 * larger than the memory queue's `maxQueueBytes`, the spool's `spool.maxBytes` with what it holds, a disk
 * slower than the producer, or the serializer). Built once per reason, on the first drop.
 */
export function spoolFullMessage<R>(queue: BoundedQueue, spool: DiskSpool<R>, bytes: number, outcome: SpillOutcome | "refused"): string {
  if (bytes > queue.maxQueueBytes) return `record of ${bytes} bytes is larger than the queue (maxQueueBytes ${queue.maxQueueBytes}); dropping records`;
  if (outcome === "serialize_error") return "the spool's serializer failed on a spilled record; dropping it as spool_error";
  if (outcome === "busy") return `spool write buffer is full (${maxSpillBufferBytes} bytes): the disk is slower than the producer; dropping records`;
  const { maxBytes, bytes: held, segments } = spool.health();
  return `spool is full (spool.maxBytes ${maxBytes}: ${held} bytes held in ${segments} segment(s) and the write buffer); dropping records`;
}
